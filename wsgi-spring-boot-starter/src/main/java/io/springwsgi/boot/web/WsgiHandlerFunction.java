package io.springwsgi.boot.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.springwsgi.core.http.RequestHead;
import io.springwsgi.core.wsgi.WsgiApplication;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * Serves requests to one WSGI app: the request body is read by the app as it arrives, and the
 * response leaves as the app produces it. Nothing here blocks the event loop; the app runs on
 * its pool's threads.
 */
public final class WsgiHandlerFunction implements HandlerFunction<ServerResponse> {

	/** Body buffers requested ahead of the app's reads. */
	private static final int BODY_DEMAND = 4;

	/** Largest declared body read whole before the app runs; larger ones stream as it reads. */
	private static final int WHOLE_BODY_LIMIT = 64 * 1024;

	private final Supplier<WsgiApplication> application;

	private final EventLoopSchedulers schedulers = new EventLoopSchedulers();

	/**
	 * Create the handler.
	 * @param application the app's current pool, looked up per request so a reload takes
	 * effect for the next one
	 */
	public WsgiHandlerFunction(Supplier<WsgiApplication> application) {
		this.application = application;
	}

	@Override
	public Mono<ServerResponse> handle(ServerRequest request) {
		WsgiApplication current = this.application.get();
		if (current == null) {
			return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE).build();
		}
		ServerHttpRequest httpRequest = request.exchange().getRequest();
		ReactiveResponseSink sink = new ReactiveResponseSink(request.exchange().getResponse().bufferFactory(),
				this.schedulers.of(httpRequest));
		RequestHead wsgiRequest = wsgiRequest(request.exchange());
		if (hasNoBody(wsgiRequest)) {
			current.handle(wsgiRequest, InputStream.nullInputStream(), sink);
			return sink.response();
		}
		long length = declaredLength(wsgiRequest);
		if (0 < length && length <= WHOLE_BODY_LIMIT) {
			// A small body is read whole before the app runs: its context never waits for the
			// network, and wsgi.input reads from memory.
			return DataBufferUtils.join(request.bodyToFlux(DataBuffer.class), WHOLE_BODY_LIMIT)
				.map(WsgiHandlerFunction::bytes)
				.defaultIfEmpty(new byte[0])
				.flatMap((bytes) -> {
					current.handle(wsgiRequest, new ByteArrayInputStream(bytes), sink);
					return sink.response();
				});
		}
		InputStream body = DataBufferUtils.subscriberInputStream(request.bodyToFlux(DataBuffer.class), BODY_DEMAND);
		current.handle(wsgiRequest, body, sink).whenComplete((result, failure) -> close(body));
		return sink.response();
	}

	/**
	 * Whether an HTTP/1 request has no body (RFC 9112 6.3: neither {@code Content-Length} nor
	 * {@code Transfer-Encoding}, or a length of 0), so the app reads an empty stream without
	 * a subscription to the body that most requests do not have.
	 */
	private static boolean hasNoBody(RequestHead request) {
		if (!request.protocol().startsWith("HTTP/1.")) {
			return false;
		}
		String length = request.header("Content-Length");
		return (length != null) ? length.strip().equals("0") : request.header("Transfer-Encoding") == null;
	}

	private static long declaredLength(RequestHead request) {
		String length = request.header("Content-Length");
		try {
			return (length != null) ? Long.parseLong(length.strip()) : -1;
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	/** The buffer's bytes; the buffer is released. */
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

	/**
	 * The request's head as the app sees it. With {@code server.forward-headers-strategy=framework}
	 * Spring has already replaced the URI's scheme, host and port and the remote address with
	 * what {@code Forwarded} or {@code X-Forwarded-*} said; by default they are the connection's.
	 */
	static RequestHead wsgiRequest(ServerWebExchange exchange) {
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

	private static void close(InputStream body) {
		try {
			body.close();
		}
		catch (IOException ex) {
			// Closing only cancels the upload's subscription and releases its buffers.
		}
	}

}
