package io.springwsgi.boot.web;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.springwsgi.core.http.ResponseSink;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * What both kinds of sink share on WebFlux's side of the bridge: the {@link ServerResponse}
 * they emit once the app has sent its status and headers, written on the connection's event
 * loop rather than on the thread that sent it, and a whole response in one buffer.
 */
abstract class ServerResponseSink implements ResponseSink {

	private final DataBufferFactory bufferFactory;

	private final Scheduler scheduler;

	private final Sinks.One<ServerResponse> response = Sinks.one();

	private volatile Consumer<String> routeListener = (template) -> {
	};

	ServerResponseSink(DataBufferFactory bufferFactory, Scheduler scheduler) {
		this.bufferFactory = bufferFactory;
		this.scheduler = scheduler;
	}

	/**
	 * The response, emitted once the app has sent its status and headers, on the scheduler
	 * given at construction: the Python thread or event loop that sent it goes back to its
	 * requests instead of writing it through Spring and Netty.
	 * @return the response
	 */
	final Mono<ServerResponse> response() {
		return this.response.asMono().publishOn(this.scheduler).doOnCancel(this::clientGone);
	}

	/**
	 * The client went away before or during the response.
	 */
	abstract void clientGone();

	/**
	 * Tell {@code listener} the route template the app's framework matched, if it says.
	 * @param listener called at most once, before the response is emitted
	 */
	final void onRoute(Consumer<String> listener) {
		this.routeListener = listener;
	}

	@Override
	public final void route(String template) {
		this.routeListener.accept(template);
	}

	/**
	 * Emit the response with a body that follows.
	 * @param status the status code
	 * @param headers the header fields
	 * @param body the body's buffers
	 */
	final void start(int status, List<Map.Entry<String, String>> headers, Flux<DataBuffer> body) {
		builder(status, headers).body(BodyInserters.fromDataBuffers(body))
			.subscribe(this.response::tryEmitValue, this.response::tryEmitError);
	}

	@Override
	public final void respond(int status, String reason, List<Map.Entry<String, String>> headers, byte[] body) {
		builder(status, headers).bodyValue(wrap(body))
			.subscribe(this.response::tryEmitValue, this.response::tryEmitError);
	}

	final DataBuffer wrap(byte[] bytes) {
		return this.bufferFactory.wrap(bytes);
	}

	final DataBufferFactory bufferFactory() {
		return this.bufferFactory;
	}

	/**
	 * The response fails before it was emitted.
	 * @param cause why
	 */
	final void fail(Throwable cause) {
		this.response.tryEmitError(cause);
	}

	private static ServerResponse.BodyBuilder builder(int status, List<Map.Entry<String, String>> headers) {
		return ServerResponse.status(status)
			.headers((httpHeaders) -> headers.forEach((header) -> httpHeaders.add(header.getKey(), header.getValue())));
	}

}
