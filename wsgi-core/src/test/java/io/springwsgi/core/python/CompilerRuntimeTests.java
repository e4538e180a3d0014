package io.springwsgi.core.python;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class CompilerRuntimeTests {

	@Test
	void jdkWithLibgraalAndNoCompilerJarsCompilesWithLibgraal(@TempDir Path jdk) throws IOException {
		Files.createDirectories(jdk.resolve("lib"));
		Files.createFile(jdk.resolve("lib/libjvmcicompiler.so"));
		CompilerRuntime runtime = CompilerRuntime.of(jdk, false);
		assertThat(runtime.usesLibgraal()).isTrue();
		assertThat(runtime.describe()).startsWith("compiler: libgraal of the GraalVM JDK at " + jdk);
	}

	@Test
	void compilerJarsOnAJdkWithLibgraalAreReportedAsHidingIt(@TempDir Path jdk) throws IOException {
		Files.createDirectories(jdk.resolve("lib"));
		Files.createFile(jdk.resolve("lib/libjvmcicompiler.so"));
		CompilerRuntime runtime = CompilerRuntime.of(jdk, true);
		assertThat(runtime.usesLibgraal()).isFalse();
		assertThat(runtime.describe()).contains("drop the jars from --upgrade-module-path");
	}

	@Test
	void stockJdkWithCompilerJarsRunsGraalAsBytecode(@TempDir Path jdk) {
		CompilerRuntime runtime = CompilerRuntime.of(jdk, true);
		assertThat(runtime.libgraal()).isFalse();
		assertThat(runtime.describe()).contains("running as Java bytecode", "a GraalVM JDK (libgraal)");
	}

	@Test
	void theJitIsOnWhenTheCompilerJarsOrLibgraalAreThere() {
		try (PythonEngine engine = PythonEngine.create()) {
			CompilerRuntime runtime = CompilerRuntime.detect();
			assertThat(runtime.compilerModule() || runtime.usesLibgraal()).isEqualTo(engine.isCompiled());
			assertThat(runtime.javaHome()).isEqualTo(Path.of(System.getProperty("java.home")));
		}
	}

}
