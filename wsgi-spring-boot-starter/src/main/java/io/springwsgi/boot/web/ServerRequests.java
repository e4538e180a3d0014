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
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;

/**
 * What both protocols take from a WebFlux request: its head, and its body's buffers as bytes.
 */
final class ServerRequests {

	private ServerRequests() {
	}

	/**
	 * The request's head as the bridge wants it.
	 * @param request the request
	 * @return its head
	 */
	static RequestHead head(ServerHttpRequest request) {
		URI uri = request.getURI();
		List<Map.Entry<String, String>> headers = new ArrayList<>();
		request.getHeaders().forEach((name, values) -> values.forEach((value) -> headers.add(Map.entry(name, value))));
		InetSocketAddress remote = request.getRemoteAddress();
		String scheme = (uri.getScheme() != null) ? uri.getScheme() : "http";
		int port = (uri.getPort() >= 0) ? uri.getPort() : ("https".equals(scheme) ? 443 : 80);
		return new RequestHead(request.getMethod().name(), scheme, request.getPath().value(), uri.getRawQuery(),
				protocol(request), headers, (uri.getHost() != null) ? uri.getHost() : "localhost", port,
				(remote != null) ? remote.getHostString() : "", (remote != null) ? remote.getPort() : 0);
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
