package io.springwsgi.core.python;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link NativeModuleCopies} removes: copies that no process maps and that are past
 * loading, and nothing else of the temporary directory.
 */
class NativeModuleCopiesTests {

	@TempDir
	Path temporary;

	@TempDir
	Path processes;

	@Test
	void copyNoProcessMapsIsRemovedOnceItIsPastLoading() throws IOException {
		Path left = copy("7266431968154632017", "_sqlite3.graalpy250-312-native-x86_64-linux.so.dup2", true);
		Path loading = copy("1003818700007211407", "libpython-native.so.dup3", false);
		assertThat(NativeModuleCopies.sweep(this.temporary, this.processes, Duration.ofMinutes(1))).isOne();
		assertThat(left).doesNotExist();
		assertThat(loading).isDirectory();
	}

	@Test
	void copyAProcessMapsIsKept() throws IOException {
		Path inUse = copy("5300502161679667975", "pyexpat.graalpy250-312-native-x86_64-linux.so.dup2", true);
		Path process = Files.createDirectories(this.processes.resolve("4242"));
		Files.writeString(process.resolve("maps"),
				"7f3c1a200000-7f3c1a21f000 r--p 00000000 08:01 1234 /usr/lib/x86_64-linux-gnu/libc.so.6\n"
						+ "7f3c1a400000-7f3c1a41f000 r-xp 00000000 08:01 5678 " + inUse.resolve(
								"pyexpat.graalpy250-312-native-x86_64-linux.so.dup2") + "\n");
		assertThat(NativeModuleCopies.sweep(this.temporary, this.processes, Duration.ZERO)).isZero();
		assertThat(inUse).isDirectory();
	}

	@Test
	void directoriesThatAreNotCopiesAreLeftAlone() throws IOException {
		Path other = Files.createDirectories(this.temporary.resolve("8812"));
		Files.writeString(other.resolve("notes.txt"), "not GraalPy's");
		Path named = Files.createDirectories(this.temporary.resolve("springwsgi-root"));
		Files.writeString(named.resolve("libpython-native.so.dup2"), "");
		Path empty = Files.createDirectories(this.temporary.resolve("991"));
		for (Path directory : new Path[] { other, named, empty }) {
			Files.setLastModifiedTime(directory, FileTime.from(Instant.now().minus(Duration.ofDays(1))));
		}
		assertThat(NativeModuleCopies.sweep(this.temporary, this.processes, Duration.ZERO)).isZero();
		assertThat(other).isDirectory();
		assertThat(named).isDirectory();
		assertThat(empty).isDirectory();
	}

	@Test
	void withoutProcessMapsNothingIsRemoved() throws IOException {
		Path left = copy("7266431968154632017", "libpython-native.so.dup2", true);
		assertThat(NativeModuleCopies.sweep(this.temporary, this.processes.resolve("absent"), Duration.ZERO))
			.isZero();
		assertThat(left).isDirectory();
	}

	@Test
	void aFileThisJvmMapsIsSeenInTheRealProcessMaps() throws IOException {
		Path copy = copy("6956109695003310549", "libpython-native.so.dup4", false);
		Path file = copy.resolve("libpython-native.so.dup4");
		Files.write(file, new byte[4096]);
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
			MappedByteBuffer mapping = channel.map(FileChannel.MapMode.READ_ONLY, 0, 4096);
			assertThat(NativeModuleCopies.mappedDirectories(Path.of("/proc"))).contains(copy);
			assertThat(mapping.get(0)).isZero();
		}
	}

	private Path copy(String name, String library, boolean old) throws IOException {
		Path directory = Files.createDirectories(this.temporary.resolve(name));
		Files.writeString(directory.resolve(library), "");
		if (old) {
			Files.setLastModifiedTime(directory, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
		}
		return directory;
	}

}
