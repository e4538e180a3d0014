package io.springwsgi.core.app;

/**
 * An app's directory does not exist.
 */
public class AppDirectoryNotFoundException extends RuntimeException {

	private final String location;

	public AppDirectoryNotFoundException(String location, String reason) {
		super("Python app directory '" + location + "' not found: " + reason);
		this.location = location;
	}

	/**
	 * The location as configured.
	 * @return the location
	 */
	public String getLocation() {
		return this.location;
	}

}
