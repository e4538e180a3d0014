package io.springwsgi.core.http;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The head of an HTTP request as the server received it, before any WSGI translation.
 *
 * @param method the request method, {@code GET}
 * @param scheme {@code http} or {@code https}
 * @param rawPath the path as sent, still percent-encoded, without the query
 * @param rawQuery the query as sent, without {@code ?}; {@code null} when the URL has none
 * @param protocol the protocol version, {@code HTTP/1.1}
 * @param headers the header fields in arrival order, names as sent
 * @param serverName the host name the request was addressed to
 * @param serverPort the port the request was addressed to
 * @param remoteAddress the client's address
 * @param remotePort the client's port
 * @param remoteUser the name of the user the host authenticated, {@code null} for none
 * @param traceContext the W3C trace context fields ({@code traceparent}, {@code tracestate}) of
 * the span serving the request, for the app's outgoing calls; empty without tracing
 */
public record RequestHead(String method, String scheme, String rawPath, String rawQuery, String protocol,
		List<Map.Entry<String, String>> headers, String serverName, int serverPort, String remoteAddress,
		int remotePort, String remoteUser, Map<String, String> traceContext) {

	public RequestHead {
		Objects.requireNonNull(method, "method");
		Objects.requireNonNull(scheme, "scheme");
		Objects.requireNonNull(rawPath, "rawPath");
		Objects.requireNonNull(protocol, "protocol");
		headers = List.copyOf(headers);
		traceContext = (traceContext != null) ? Map.copyOf(traceContext) : Map.of();
	}

	/**
	 * A request with no authenticated user and no trace context.
	 * @param method the request method
	 * @param scheme {@code http} or {@code https}
	 * @param rawPath the path as sent
	 * @param rawQuery the query as sent, or {@code null}
	 * @param protocol the protocol version
	 * @param headers the header fields
	 * @param serverName the host name the request was addressed to
	 * @param serverPort the port the request was addressed to
	 * @param remoteAddress the client's address
	 * @param remotePort the client's port
	 */
	public RequestHead(String method, String scheme, String rawPath, String rawQuery, String protocol,
			List<Map.Entry<String, String>> headers, String serverName, int serverPort, String remoteAddress,
			int remotePort) {
		this(method, scheme, rawPath, rawQuery, protocol, headers, serverName, serverPort, remoteAddress, remotePort,
				null, Map.of());
	}

	/**
	 * The value of the first header with this name, compared case-insensitively.
	 * @param name the header name
	 * @return the value, or {@code null}
	 */
	public String header(String name) {
		for (Map.Entry<String, String> header : this.headers) {
			if (header.getKey().equalsIgnoreCase(name)) {
				return header.getValue();
			}
		}
		return null;
	}

	/**
	 * The body's length as {@code Content-Length} declares it.
	 * @return the length, or -1 when the header is missing or not a number
	 */
	public long contentLength() {
		String value = header("Content-Length");
		if (value == null) {
			return -1;
		}
		try {
			return Long.parseLong(value.strip());
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

}
