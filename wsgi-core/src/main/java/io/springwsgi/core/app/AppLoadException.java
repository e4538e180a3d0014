package io.springwsgi.core.app;

/**
 * An app could not be loaded into a context: its module failed to import, or the callable
 * is missing or not callable. The message names the app, module, directory and holds the
 * Python traceback.
 */
public class AppLoadException extends RuntimeException {

	private final PythonApp app;

	public AppLoadException(PythonApp app, String pythonError) {
		super("Python app '" + app.name() + "' failed to load " + app.module() + ":" + app.callable() + " from "
				+ app.directory() + ": " + pythonError);
		this.app = app;
	}

	/**
	 * The app that failed.
	 * @return the app
	 */
	public PythonApp getApp() {
		return this.app;
	}

}
