package io.springwsgi.core.python;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.io.ProcessHandler;
import org.graalvm.polyglot.io.ProcessHandler.ProcessCommand;
import org.graalvm.polyglot.io.ProcessHandler.Redirect;

/**
 * Lets every context load GraalPy's native standard-library modules ({@code termios},
 * {@code pyexpat}, {@code _sqlite3}, {@code _cpython_unicodedata}, {@code _cpython_sre},
 * {@code _sha3}).
 * <p>
 * A native library loads once per process, so GraalPy gives only the first context that asks
 * for one the real thing and refuses it to every other context, unless every context of the
 * JVM runs with {@code python.IsolateNativeModules}: then each context loads its own copy of
 * the library, made under {@code java.io.tmpdir} with a new {@code SONAME} by {@code patchelf},
 * and removed when the context closes ({@link NativeModuleCopies} removes those of contexts
 * that never closed). That needs native access, and process creation for
 * {@code patchelf}; the {@link ProcessHandler} here starts {@code patchelf} and nothing else,
 * so Python code still cannot start processes.
 */
public final class NativeModuleIsolation {

	static final String PATCHELF = "patchelf";

	private final Path patchelf;

	private NativeModuleIsolation(Path patchelf) {
		this.patchelf = patchelf;
	}

	/**
	 * Find {@code patchelf} on the {@code PATH}.
	 * @return the isolation
	 * @throws PatchelfNotFoundException if there is none
	 */
	public static NativeModuleIsolation require() {
		return require(System.getenv("PATH"));
	}

	static NativeModuleIsolation require(String searchPath) {
		return Executables.onPath(PATCHELF, searchPath)
			.map(NativeModuleIsolation::new)
			.orElseThrow(() -> new PatchelfNotFoundException(searchPath));
	}

	/**
	 * The {@code patchelf} that GraalPy runs.
	 * @return its path
	 */
	public Path patchelf() {
		return this.patchelf;
	}

	/**
	 * Set up a context builder so that its context loads its own copy of each native module.
	 * @param builder the builder of a context of app {@code appName}
	 * @param appName the app, named when Python code tries to start another process
	 * @return the builder
	 */
	Context.Builder configure(Context.Builder builder, String appName) {
		return builder.allowExperimentalOptions(true)
			.option("python.IsolateNativeModules", "true")
			.allowNativeAccess(true)
			.allowCreateProcess(true)
			.processHandler(new PatchelfOnly(appName, this.patchelf));
	}

	/**
	 * Starts {@code patchelf} for GraalPy and refuses every other command. It runs the
	 * {@code patchelf} found on the JVM's {@code PATH}, whatever the app's own environment.
	 */
	private static final class PatchelfOnly implements ProcessHandler {

		private final String appName;

		private final Path patchelf;

		PatchelfOnly(String appName, Path patchelf) {
			this.appName = appName;
			this.patchelf = patchelf;
		}

		@Override
		public Process start(ProcessCommand command) throws IOException {
			List<String> arguments = command.getCommand();
			if (arguments.isEmpty() || !PATCHELF.equals(Path.of(arguments.get(0)).getFileName().toString())) {
				// Python sees only an OSError (EIO) naming the command: the reason goes to the log. The
				// standard library itself tries some (platform's uname), and copes with the refusal.
				String refusal = "Python app '" + this.appName + "' may not start processes (it tried "
						+ (arguments.isEmpty() ? "an empty command" : "'" + arguments.get(0) + "'")
						+ "): springwsgi lets GraalPy run only patchelf, to give each context its own copy of "
						+ "a native module";
				PythonContextFactory.appLogger(this.appName).debug(refusal);
				throw new IOException(refusal);
			}
			List<String> resolved = new ArrayList<>(arguments);
			resolved.set(0, this.patchelf.toString());
			ProcessBuilder builder = new ProcessBuilder(resolved).redirectErrorStream(command.isRedirectErrorStream());
			if (command.getDirectory() != null) {
				builder.directory(new File(command.getDirectory()));
			}
			builder.environment().clear();
			builder.environment().putAll(command.getEnvironment());
			builder.redirectInput(redirect(command.getInputRedirect()));
			builder.redirectOutput(redirect(command.getOutputRedirect()));
			builder.redirectError(redirect(command.getErrorRedirect()));
			Process process = builder.start();
			copyTo(command.getOutputRedirect(), process.getInputStream());
			copyTo(command.getErrorRedirect(), process.getErrorStream());
			return process;
		}

		private static ProcessBuilder.Redirect redirect(Redirect redirect) {
			return Redirect.INHERIT.equals(redirect) ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.PIPE;
		}

		/** A redirect to a stream: copy what the process writes there, as the default handler does. */
		private static void copyTo(Redirect redirect, InputStream from) {
			OutputStream to = redirect.getOutputStream();
			if (to == null) {
				return;
			}
			Thread.ofVirtual().name("springwsgi-patchelf-output").start(() -> {
				try (from) {
					from.transferTo(to);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
		}

	}

}
