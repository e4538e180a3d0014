package io.springwsgi.boot.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

import io.springwsgi.core.http.RequestHead;
import io.springwsgi.core.wsgi.WsgiApplication;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

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
		BlockingServerResponseSink sink = new BlockingServerResponseSink(request.exchange().getResponse().bufferFactory(),
				this.schedulers.of(httpRequest));
		sink.onRoute((template) -> HostedAppExchange.routeMatched(request.exchange(), template));
		RequestHead wsgiRequest = ServerRequests.head(request.exchange());
		if (hasNoBody(wsgiRequest)) {
			current.handle(wsgiRequest, InputStream.nullInputStream(), sink);
			return sink.response();
		}
		long length = wsgiRequest.contentLength();
		if (0 < length && length <= WHOLE_BODY_LIMIT) {
			// A small body is read whole before the app runs: its context never waits for the
			// network, and wsgi.input reads from memory.
			return DataBufferUtils.join(request.bodyToFlux(DataBuffer.class), WHOLE_BODY_LIMIT)
				.map(ServerRequests::bytes)
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

	private static void close(InputStream body) {
		try {
			body.close();
		}
		catch (IOException ex) {
			// Closing only cancels the upload's subscription and releases its buffers.
		}
	}

}
