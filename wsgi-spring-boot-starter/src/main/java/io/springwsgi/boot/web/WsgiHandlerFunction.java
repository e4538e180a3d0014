package io.springwsgi.boot.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.springwsgi.core.http.PlainTextResponse;
import io.springwsgi.core.http.RequestHead;
import io.springwsgi.core.python.PrivateDirectory;
import io.springwsgi.core.wsgi.WsgiApplication;
import io.springwsgi.core.wsgi.WsgiOptions;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Serves requests to one WSGI app: the request body is read whole before the request takes a
 * context ({@link BufferedRequestBody}), and the response leaves as the app produces it.
 * Nothing here blocks the event loop; the app runs on its pool's threads.
 */
public final class WsgiHandlerFunction implements HandlerFunction<ServerResponse> {

	/** The rest of the request was not read: the connection cannot carry another one. */
	private static final List<Map.Entry<String, String>> CLOSE = List.of(Map.entry("Connection", "close"));

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
		WsgiOptions options = current.options();
		if (hasNoBody(wsgiRequest)
				|| (options.maxBodySize() >= 0 && wsgiRequest.contentLength() > options.maxBodySize())) {
			// No body to wait for, or one the app answers 413 to without reading it.
			return respond(sink, current.handle(wsgiRequest, InputStream.nullInputStream(), sink));
		}
		Mono<BufferedRequestBody> body = BufferedRequestBody.read(request.bodyToFlux(DataBuffer.class),
				options.maxBodySize(), WsgiHandlerFunction::spoolDirectory);
		if (options.requestTimeout() != null) {
			body = body.timeout(options.requestTimeout());
		}
		return body.flatMap((buffered) -> {
			InputStream input;
			try {
				input = buffered.open();
			}
			catch (IOException ex) {
				buffered.close();
				return Mono.error(ex);
			}
			CompletableFuture<Void> handling = current.handle(wsgiRequest, input, sink);
			handling.whenComplete((result, failure) -> {
				close(input);
				buffered.close();
			});
			return respond(sink, handling);
		}).onErrorResume(BufferedRequestBody.BodyTooLargeException.class, (tooLarge) -> {
			PlainTextResponse.send(sink, 413, "Payload Too Large", tooLarge.getMessage(), CLOSE);
			return sink.response();
		}).onErrorResume(TimeoutException.class, (timeout) -> {
			PlainTextResponse.send(sink, 408, "Request Timeout", "The request body did not arrive within "
					+ options.requestTimeout() + ".", CLOSE);
			return sink.response();
		});
	}
	/**
	 * The response; a client that leaves before it starts withdraws the request if it still
	 * waits for a context.
	 */
	private static Mono<ServerResponse> respond(BlockingServerResponseSink sink, CompletableFuture<Void> handling) {
		return sink.response().doOnCancel(() -> handling.cancel(false));
	}

	/** Where large bodies wait for their request's context: checked private on each use. */
	private static Path spoolDirectory() {
		return PrivateDirectory.ensure(PrivateDirectory.ofCurrentUser().resolve("uploads"));
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
			// A buffered body: nothing is lost when closing it fails.
		}
	}

}
