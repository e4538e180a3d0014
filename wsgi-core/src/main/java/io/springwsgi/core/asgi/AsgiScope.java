package io.springwsgi.core.asgi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The connection scope of an ASGI {@code http} or {@code websocket} request, as the
 * <a href="https://asgi.readthedocs.io/en/latest/specs/www.html">HTTP and WebSocket spec</a>
 * names its keys. Byte-string keys ({@code raw_path}, {@code query_string}, headers) are held
 * as latin-1 strings, one char per byte; the Python side encodes them back.
 *
 * @param type {@code http} or {@code websocket}
 * @param httpVersion {@code 1.1}
 * @param method the request method, upper case
 * @param scheme {@code http}, {@code https}, {@code ws} or {@code wss}
 * @param path the percent-decoded path, UTF-8
 * @param rawPath the path as sent, without the query
 * @param rootPath the mount path
 * @param queryString the query as sent, without {@code ?}; {@code ""} when absent
 * @param headers header names lower-cased and values, in arrival order
 * @param clientHost the client's address, {@code ""} when unknown
 * @param clientPort the client's port
 * @param serverHost the host the request was addressed to
 * @param serverPort the port the request was addressed to
 * @param remoteUser the name of the user the host authenticated, {@code null} for none
 * @param traceContext the W3C trace context fields of the span serving the request
 */
public record AsgiScope(String type, String httpVersion, String method, String scheme, String path, String rawPath,
		String rootPath, String queryString, List<Map.Entry<String, String>> headers, String clientHost,
		int clientPort, String serverHost, int serverPort, String remoteUser, Map<String, String> traceContext) {

	/** The trace context fields the scope carries, in the order {@link #toArray()} lists them. */
	private static final List<String> TRACE_FIELDS = List.of("traceparent", "tracestate");

	public AsgiScope {
		headers = List.copyOf(headers);
		traceContext = (traceContext != null) ? Map.copyOf(traceContext) : Map.of();
	}

	/**
	 * The scope as one flat array, the form the Python side reads with one crossing: the
	 * fields in the order of the record's components up to {@code serverPort}, headers
	 * excepted, then the remote user, {@code traceparent} and {@code tracestate} ({@code ""}
	 * when absent), then header names and values alternating.
	 * @return the fields
	 */
	public String[] toArray() {
		List<String> fields = new ArrayList<>(15 + this.headers.size() * 2);
		fields.add(this.type);
		fields.add(this.httpVersion);
		fields.add(this.method);
		fields.add(this.scheme);
		fields.add(this.path);
		fields.add(this.rawPath);
		fields.add(this.rootPath);
		fields.add(this.queryString);
		fields.add(this.clientHost);
		fields.add(Integer.toString(this.clientPort));
		fields.add(this.serverHost);
		fields.add(Integer.toString(this.serverPort));
		fields.add((this.remoteUser != null) ? this.remoteUser : "");
		for (String field : TRACE_FIELDS) {
			fields.add(this.traceContext.getOrDefault(field, ""));
		}
		for (Map.Entry<String, String> header : this.headers) {
			fields.add(header.getKey());
			fields.add(header.getValue());
		}
		return fields.toArray(String[]::new);
	}

}
