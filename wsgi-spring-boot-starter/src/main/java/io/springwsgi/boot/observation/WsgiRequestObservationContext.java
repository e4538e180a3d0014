package io.springwsgi.boot.observation;

import io.micrometer.observation.Observation;

/**
 * What is known of one request to a hosted app while it is observed: the app, the request,
 * and once answered, the status, the route template the app's framework matched and whether
 * the response was written whole.
 */
public class WsgiRequestObservationContext extends Observation.Context {

	private final String app;

	private final String method;

	private final String path;

	private int status = -1;

	private boolean completed;

	private String route;

	/**
	 * Create the context of one request.
	 * @param app the app's name
	 * @param method the request method
	 * @param path the request path, mount path included
	 */
	public WsgiRequestObservationContext(String app, String method, String path) {
		this.app = app;
		this.method = method;
		this.path = path;
	}

	public String getApp() {
		return this.app;
	}

	public String getMethod() {
		return this.method;
	}

	public String getPath() {
		return this.path;
	}

	/**
	 * The response status, {@code -1} when there was no response.
	 * @return the status
	 */
	public int getStatus() {
		return this.status;
	}

	/**
	 * Whether the response was written to its end: {@code false} when the client went away or
	 * the app failed after sending the head.
	 * @return whether the response completed
	 */
	public boolean isCompleted() {
		return this.completed;
	}

	/**
	 * The route template the app's framework matched ({@code /items/<int:item_id>}).
	 * @return the template, {@code null} when the framework does not say or nothing matched
	 */
	public String getRoute() {
		return this.route;
	}

	void answered(int status, boolean completed, String route) {
		this.status = status;
		this.completed = completed;
		this.route = route;
	}

}
