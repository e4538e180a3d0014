package io.springwsgi.core.asgi;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.springwsgi.core.http.MountPath;
import io.springwsgi.core.http.PercentDecoding;
import io.springwsgi.core.http.RequestHead;

/**
 * Builds the ASGI scope of a request (ASGI HTTP and WebSocket spec, "Connection Scope").
 *
 * <p>Whether {@code path} includes {@code root_path} is the one point where frameworks
 * disagree: the current spec, uvicorn and Starlette 0.33+ include it; Starlette before 0.33
 * (FastAPI 0.92 and older) routes on {@code path} without it.
 */
public final class AsgiScopeBuilder {

	private final String rootPath;

	private final boolean rootPathInPath;

	/**
	 * Create a builder for an app mounted at a path.
	 * @param mountPath the mount path, {@code /fastapi}; {@code ""} or {@code /} for the root
	 * @param rootPathInPath whether {@code path} starts with {@code root_path}, as the current
	 * spec says; {@code false} for Starlette before 0.33
	 */
	public AsgiScopeBuilder(String mountPath, boolean rootPathInPath) {
		this.rootPath = MountPath.normalize(mountPath);
		this.rootPathInPath = rootPathInPath;
	}

	/**
	 * Build the scope of an HTTP request.
	 * @param request the request head
	 * @return the scope
	 */
	public AsgiScope http(RequestHead request) {
		return build("http", request.method(), request.scheme(), request);
	}

	/**
	 * Build the scope of a WebSocket handshake request.
	 * @param request the handshake request's head
	 * @return the scope, with scheme {@code ws} or {@code wss}
	 */
	public AsgiScope websocket(RequestHead request) {
		return build("websocket", "GET", "https".equals(request.scheme()) ? "wss" : "ws", request);
	}

	private AsgiScope build(String type, String method, String scheme, RequestHead request) {
		List<Map.Entry<String, String>> headers = new ArrayList<>(request.headers().size());
		for (Map.Entry<String, String> header : request.headers()) {
			// ASGI: names lower-cased; repeated headers stay separate; values are as sent, one char per byte.
			headers.add(Map.entry(header.getKey().toLowerCase(Locale.ROOT), header.getValue()));
		}
		String version = httpVersion(request.protocol());
		return new AsgiScope(type, version, method, scheme, path(request.rawPath()), request.rawPath(),
				this.rootPath, (request.rawQuery() != null) ? request.rawQuery() : "", headers,
				request.remoteAddress(), request.remotePort(), request.serverName(), request.serverPort(),
				request.remoteUser(), request.traceContext());
	}

	/** The spec's {@code http_version}: {@code 1.0}, {@code 1.1} or {@code 2}. */
	private static String httpVersion(String protocol) {
		if (!protocol.startsWith("HTTP/")) {
			return "1.1";
		}
		String version = protocol.substring(5);
		return version.equals("2.0") ? "2" : version;
	}

	/**
	 * The percent-decoded path, UTF-8 as the spec says; with the mount path removed when the
	 * app expects it so. The mount path itself maps to the app's {@code /}.
	 */
	private String path(String rawPath) {
		String decoded = PercentDecoding.decode(rawPath, StandardCharsets.UTF_8);
		String relative = decoded;
		if (!this.rootPath.isEmpty() && decoded.startsWith(this.rootPath)) {
			relative = decoded.substring(this.rootPath.length());
		}
		if (relative.isEmpty()) {
			relative = "/";
		}
		return this.rootPathInPath ? this.rootPath + relative : relative;
	}

}
