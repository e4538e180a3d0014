package io.springwsgi.boot.actuate;

/**
 * Thrown when the {@code wsgi} endpoint is asked to reload an app while a reload is running.
 */
public class ReloadInProgressException extends RuntimeException {

	/**
	 * Create the exception.
	 * @param name the app whose reload was refused
	 */
	public ReloadInProgressException(String name) {
		super("Python app '" + name + "' was not reloaded: another reload is running; retry once it has finished");
	}

}
