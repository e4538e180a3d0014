package io.springwsgi.boot.apps;

/**
 * The {@code wsgi.*} configuration is wrong in a way binding cannot tell: the message names the
 * app and the property, the action says how to fix it.
 */
public class WsgiConfigurationException extends RuntimeException {

	private final String property;

	private final String action;

	public WsgiConfigurationException(String property, String message, String action) {
		this(property, message, action, null);
	}

	public WsgiConfigurationException(String property, String message, String action, Throwable cause) {
		super(message, cause);
		this.property = property;
		this.action = action;
	}

	/**
	 * The property at fault, {@code wsgi.apps[0].directory}.
	 * @return the property
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * What to do about it.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

}
