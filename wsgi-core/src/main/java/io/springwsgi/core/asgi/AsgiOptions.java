package io.springwsgi.core.asgi;

import java.time.Duration;

/**
 * How the bridge serves one ASGI app.
 *
 * @param mountPath the path the app is mounted at; becomes {@code root_path}
 * @param rootPathInPath whether {@code path} includes {@code root_path} (the current ASGI
 * spec), or not (Starlette before 0.33, so FastAPI 0.92), or whichever the app's Starlette
 * routes on
 * @param debug whether a failing request's traceback is sent to the client
 * @param maxBodySize the largest request body the app receives, in bytes, or -1 for no
 * limit: a larger declared body is answered 413 at once, a larger chunked one when it goes
 * past the limit
 * @param requestTimeout how long an HTTP request may take to start its response before it is
 * answered 504 and its task cancelled; zero for no limit. A started response, and a
 * WebSocket, may go on for as long as they like.
 * @param maxInFlight the most requests one context serves at once; more are answered 503
 * @param maxRequests the requests after which a context is retired: a new one takes its
 * place once ready, and it closes once its requests in flight are done; 0 for never
 */
public record AsgiOptions(String mountPath, RootPathInPath rootPathInPath, boolean debug, long maxBodySize,
		Duration requestTimeout, int maxInFlight, int maxRequests) {

	/** Requests in flight per context when none is configured. */
	public static final int DEFAULT_MAX_IN_FLIGHT = 256;

	/**
	 * Options for an app at a mount path: the path convention detected from the app, no
	 * debug, no body limit, no request timeout, {@value #DEFAULT_MAX_IN_FLIGHT} requests in
	 * flight per context, no retirement.
	 * @param mountPath the mount path
	 * @return the options
	 */
	public static AsgiOptions mountedAt(String mountPath) {
		return new AsgiOptions(mountPath, RootPathInPath.DETECT, false, -1, Duration.ZERO, DEFAULT_MAX_IN_FLIGHT, 0);
	}

	public AsgiOptions withRootPathInPath(RootPathInPath convention) {
		return new AsgiOptions(this.mountPath, convention, this.debug, this.maxBodySize, this.requestTimeout,
				this.maxInFlight, this.maxRequests);
	}

	public AsgiOptions withDebug(boolean enabled) {
		return new AsgiOptions(this.mountPath, this.rootPathInPath, enabled, this.maxBodySize, this.requestTimeout,
				this.maxInFlight, this.maxRequests);
	}

	public AsgiOptions withMaxBodySize(long bytes) {
		return new AsgiOptions(this.mountPath, this.rootPathInPath, this.debug, bytes, this.requestTimeout,
				this.maxInFlight, this.maxRequests);
	}

	public AsgiOptions withRequestTimeout(Duration timeout) {
		return new AsgiOptions(this.mountPath, this.rootPathInPath, this.debug, this.maxBodySize, timeout,
				this.maxInFlight, this.maxRequests);
	}

	public AsgiOptions withMaxInFlight(int requests) {
		return new AsgiOptions(this.mountPath, this.rootPathInPath, this.debug, this.maxBodySize, this.requestTimeout,
				requests, this.maxRequests);
	}

	public AsgiOptions withMaxRequests(int requests) {
		return new AsgiOptions(this.mountPath, this.rootPathInPath, this.debug, this.maxBodySize, this.requestTimeout,
				this.maxInFlight, requests);
	}

}
