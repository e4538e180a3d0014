package io.springwsgi.core.python;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which Graal compiler compiles Python in this JVM: libgraal, the compiler built ahead of time
 * into a GraalVM JDK, or the compiler jars on a stock JDK's {@code --upgrade-module-path} (or
 * {@code --module-path}, in a runtime image without the JDK's empty compiler module), where
 * Graal runs as Java bytecode that HotSpot's C1 and C2 compile while Graal compiles Python, so
 * the first minutes under load are slow.
 *
 * @param javaHome the JDK the JVM runs on
 * @param libgraal whether that JDK has libgraal ({@code lib/libjvmcicompiler.so} or its
 * counterpart on other systems)
 * @param compilerModule whether the Graal compiler's module ({@code jdk.graal.compiler}) is in
 * the boot layer, as the compiler jars put it there
 */
public record CompilerRuntime(Path javaHome, boolean libgraal, boolean compilerModule) {

	private static final String COMPILER_MODULE = "jdk.graal.compiler";

	private static final String[] LIBGRAAL_FILES = { "lib/libjvmcicompiler.so", "lib/libjvmcicompiler.dylib",
			"bin/jvmcicompiler.dll" };

	/**
	 * Look at the running JVM.
	 * @return what compiles Python here
	 */
	public static CompilerRuntime detect() {
		return of(Path.of(System.getProperty("java.home")),
				ModuleLayer.boot().findModule(COMPILER_MODULE).isPresent());
	}

	/**
	 * Look at a JDK.
	 * @param javaHome the JDK's home directory
	 * @param compilerModule whether the Graal compiler's module is in the boot layer
	 * @return what compiles Python with that JDK
	 */
	public static CompilerRuntime of(Path javaHome, boolean compilerModule) {
		boolean libgraal = false;
		for (String file : LIBGRAAL_FILES) {
			libgraal |= Files.isRegularFile(javaHome.resolve(file));
		}
		return new CompilerRuntime(javaHome, libgraal, compilerModule);
	}

	/**
	 * Whether the compiler that runs is libgraal: on a GraalVM JDK without compiler jars put
	 * in its place.
	 * @return {@code true} if Python is compiled by libgraal
	 */
	public boolean usesLibgraal() {
		return this.libgraal && !this.compilerModule;
	}

	/**
	 * One sentence for the start-up log, given that GraalPy's JIT is on.
	 * @return which compiler runs and what it means for warm-up
	 */
	public String describe() {
		if (usesLibgraal()) {
			return "compiler: libgraal of the GraalVM JDK at " + this.javaHome
					+ ", compiled ahead of time, so compilation is fast from the start";
		}
		if (this.libgraal) {
			return "compiler: the Graal jars (jdk.graal.compiler), although the JDK at " + this.javaHome
					+ " has libgraal; drop the jars from --upgrade-module-path so that libgraal compiles Python from the start";
		}
		return "compiler: the Graal jars (jdk.graal.compiler), running as Java bytecode that C1 and C2 compile "
				+ "while it compiles Python, so the first minutes under load are slow; a GraalVM JDK (libgraal) "
				+ "starts with a compiled compiler";
	}

}
