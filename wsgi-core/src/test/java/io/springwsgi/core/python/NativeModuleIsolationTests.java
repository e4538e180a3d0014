package io.springwsgi.core.python;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Finding {@code patchelf}, which GraalPy runs to copy a native module for each context.
 */
class NativeModuleIsolationTests {

	@TempDir
	Path temp;

	@Test
	void patchelfIsFoundOnThePath() throws Exception {
		Path bin = Files.createDirectory(this.temp.resolve("bin"));
		Path patchelf = Files.createFile(bin.resolve("patchelf"));
		assertThat(patchelf.toFile().setExecutable(true)).isTrue();
		String path = this.temp.resolve("empty") + File.pathSeparator + bin;
		assertThat(NativeModuleIsolation.require(path).patchelf()).isEqualTo(patchelf);
	}

	@Test
	void missingPatchelfSaysWhatToInstall() {
		String path = this.temp.resolve("nothing-here").toString();
		assertThatExceptionOfType(PatchelfNotFoundException.class)
			.isThrownBy(() -> NativeModuleIsolation.require(path))
			.withMessageContaining("springwsgi needs 'patchelf'")
			.withMessageContaining("sqlite3")
			.withMessageContaining(path);
		assertThat(PatchelfNotFoundException.ACTION).contains("apt-get install patchelf", "container image");
	}

	@Test
	void aFileThatIsNotExecutableIsNotPatchelf() throws Exception {
		Path bin = Files.createDirectory(this.temp.resolve("bin"));
		Files.createFile(bin.resolve("patchelf"));
		assertThatExceptionOfType(PatchelfNotFoundException.class)
			.isThrownBy(() -> NativeModuleIsolation.require(bin.toString()));
	}

}
