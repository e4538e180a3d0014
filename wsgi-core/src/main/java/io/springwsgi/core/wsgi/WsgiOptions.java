package io.springwsgi.core.wsgi;

import java.time.Duration;

/**
 * How the bridge serves one WSGI app.
 *
 * @param mountPath the path the app is mounted at; becomes {@code SCRIPT_NAME}
 * @param debug whether a failing request's traceback is sent to the client
 * @param maxBodySize the largest request body the app receives, in bytes, or -1 for no limit
 * @param requestTimeout how long a request may run before its context is cancelled, or
 * {@code null} for no limit
 */
public record WsgiOptions(String mountPath, boolean debug, long maxBodySize, Duration requestTimeout) {

	/**
	 * Options for an app at a mount path: no debug, no body limit, no timeout.
	 * @param mountPath the mount path
	 * @return the options
	 */
	public static WsgiOptions mountedAt(String mountPath) {
		return new WsgiOptions(mountPath, false, -1, null);
	}

	public WsgiOptions withDebug(boolean enabled) {
		return new WsgiOptions(this.mountPath, enabled, this.maxBodySize, this.requestTimeout);
	}

	public WsgiOptions withMaxBodySize(long bytes) {
		return new WsgiOptions(this.mountPath, this.debug, bytes, this.requestTimeout);
	}

	public WsgiOptions withRequestTimeout(Duration timeout) {
		return new WsgiOptions(this.mountPath, this.debug, this.maxBodySize, timeout);
	}

}
