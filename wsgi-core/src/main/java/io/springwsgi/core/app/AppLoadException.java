package io.springwsgi.core.app;

/**
 * An app could not be loaded into a context: its module failed to import, or the callable
 * is missing or not callable. The message names the app, module, directory and holds the
 * Python traceback; {@link #getKind()} says what kind of failure it was, so that the advice
 * given to the user fits it.
 */
public class AppLoadException extends RuntimeException {

	/** What kind of failure stopped the app from loading. */
	public enum Kind {

		/** The import failed in a way the other kinds don't describe: the traceback tells. */
		IMPORT,

		/** A module was not found on {@code sys.path}: a package is not installed or not listed. */
		MISSING_MODULE,

		/**
		 * A module exists only as a C extension built for CPython, which GraalPy cannot load.
		 */
		CPYTHON_EXTENSION,

		/**
		 * GraalPy refused a native module because another GraalPy context of the JVM loaded it
		 * without {@code python.IsolateNativeModules}.
		 */
		NATIVE_MODULE_REFUSED,

		/** Code that runs on CPython failed on a known limitation of GraalPy. */
		GRAALPY_LIMITATION,

		/** The module imported, but the callable is missing or not callable. */
		CALLABLE,

		/** The app imported, but its ASGI lifespan startup failed. */
		LIFESPAN;

		public static Kind of(String pythonKind) {
			return switch (pythonKind) {
				case "missing-module" -> MISSING_MODULE;
				case "cpython-extension" -> CPYTHON_EXTENSION;
				case "native-module-refused" -> NATIVE_MODULE_REFUSED;
				case "graalpy-limitation" -> GRAALPY_LIMITATION;
				case "callable" -> CALLABLE;
				default -> IMPORT;
			};
		}

	}

	private final PythonApp app;

	private final Kind kind;

	private final String module;

	private final String detail;

	public AppLoadException(PythonApp app, String pythonError) {
		this(app, pythonError, Kind.IMPORT, null, null);
	}

	public AppLoadException(PythonApp app, String pythonError, Kind kind, String module, String detail) {
		super("Python app '" + app.name() + "' failed to load " + app.module() + ":" + app.callable() + " from "
				+ app.directory() + ": " + pythonError);
		this.app = app;
		this.kind = kind;
		this.module = module;
		this.detail = detail;
	}

	/**
	 * The app that failed.
	 * @return the app
	 */
	public PythonApp getApp() {
		return this.app;
	}

	/**
	 * What kind of failure it was.
	 * @return the kind
	 */
	public Kind getKind() {
		return this.kind;
	}

	/**
	 * The module at fault, such as {@code _brotli} for a CPython extension or {@code h11} for a
	 * GraalPy limitation, where Python could tell.
	 * @return the module, or {@code null}
	 */
	public String getModule() {
		return this.module;
	}

	/**
	 * What was found about the failure: the CPython extension's file, the limitation's error.
	 * @return the detail, or {@code null}
	 */
	public String getDetail() {
		return this.detail;
	}

}
