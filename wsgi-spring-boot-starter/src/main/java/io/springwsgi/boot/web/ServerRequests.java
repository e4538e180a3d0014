package io.springwsgi.boot.web;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.springwsgi.core.http.RequestHead;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;

/**
 * What both protocols take from a WebFlux request: its head, and its body's buffers as bytes.
 */
final class ServerRequests {

	private ServerRequests() {
	}

	/**
	 * The request's head as the bridge wants it. With
	 * {@code server.forward-headers-strategy=framework} Spring has already replaced the URI's
	 * scheme, host and port and the remote address with what {@code Forwarded} or
	 * {@code X-Forwarded-*} said; by default they are the connection's.
	 * @param exchange the exchange of the request
	 * @return its head
	 */
	static RequestHead head(ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		URI uri = request.getURI();
		List<Map.Entry<String, String>> headers = new ArrayList<>();
		// The URI's authority is the Host header, or what Forwarded/X-Forwarded-Host said when
		// Spring applied it: frameworks build URLs from Host before SERVER_NAME (PEP 3333 "URL
		// Reconstruction"), so Host must say what the client used too.
		String authority = uri.getRawAuthority();
		request.getHeaders()
			.forEach((name, values) -> values.forEach((value) -> headers.add(Map.entry(name,
					(authority != null && HttpHeaders.HOST.equalsIgnoreCase(name)) ? authority : value))));
		InetSocketAddress remote = request.getRemoteAddress();
		String scheme = (uri.getScheme() != null) ? uri.getScheme() : "http";
		int port = (uri.getPort() >= 0) ? uri.getPort() : ("https".equals(scheme) ? 443 : 80);
		return new RequestHead(request.getMethod().name(), scheme, request.getPath().value(), uri.getRawQuery(),
				protocol(request), headers, (uri.getHost() != null) ? uri.getHost() : "localhost", port,
				(remote != null) ? remote.getHostString() : "", (remote != null) ? remote.getPort() : 0,
				HostedAppExchange.remoteUser(exchange), HostedAppExchange.traceContext(exchange));
	}

	/**
	 * The request's HTTP version as {@code SERVER_PROTOCOL} wants it; only Reactor Netty's
	 * native request knows it.
	 */
	private static String protocol(ServerHttpRequest request) {
		Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
		return (nativeRequest instanceof HttpServerRequest netty) ? netty.version().text() : "HTTP/1.1";
	}

	/**
	 * A body buffer's bytes; the buffer is released.
	 * @param buffer the buffer
	 * @return its bytes
	 */
	static byte[] bytes(DataBuffer buffer) {
		try {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			return bytes;
		}
		finally {
			DataBufferUtils.release(buffer);
		}
	}

}
