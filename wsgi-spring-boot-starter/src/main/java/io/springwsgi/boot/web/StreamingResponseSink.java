package io.springwsgi.boot.web;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import io.springwsgi.core.wsgi.ResponseSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Carries an ASGI response from a context's event loop to Reactor without ever blocking: the
 * loop serves other requests meanwhile, so chunks the client has not taken yet are buffered
 * instead of holding the sender up. When the client goes away, {@code onClientGone} runs.
 */
final class StreamingResponseSink implements ResponseSink {

	private final DataBufferFactory bufferFactory;

	private final Sinks.One<ServerResponse> response = Sinks.one();

	private final Sinks.Many<DataBuffer> body = Sinks.many().unicast().onBackpressureBuffer();

	private volatile Runnable onClientGone = () -> {
	};

	private volatile boolean gone;

	StreamingResponseSink(DataBufferFactory bufferFactory) {
		this.bufferFactory = bufferFactory;
	}

	/**
	 * What to do when the client goes away, before or during the response.
	 * @param action the action, run at most once
	 */
	void onClientGone(Runnable action) {
		this.onClientGone = action;
		if (this.gone) {
			action.run();
		}
	}

	/**
	 * The response, emitted once the app has sent {@code http.response.start}.
	 * @return the response
	 */
	Mono<ServerResponse> response() {
		return this.response.asMono().doOnCancel(this::clientGone);
	}

	private void clientGone() {
		this.gone = true;
		this.onClientGone.run();
	}

	@Override
	public void start(int status, String reason, List<Map.Entry<String, String>> headers) {
		ReactiveResponseSink.builder(status, headers)
			.body(BodyInserters.fromDataBuffers(this.body.asFlux().doOnCancel(this::clientGone)))
			.subscribe(this.response::tryEmitValue, this.response::tryEmitError);
	}

	@Override
	public void respond(int status, String reason, List<Map.Entry<String, String>> headers, byte[] body) {
		ReactiveResponseSink.builder(status, headers)
			.bodyValue(this.bufferFactory.wrap(body))
			.subscribe(this.response::tryEmitValue, this.response::tryEmitError);
	}

	@Override
	public void write(byte[] chunk) throws IOException {
		if (this.body.tryEmitNext(this.bufferFactory.wrap(chunk)).isFailure()) {
			throw new IOException("the client closed the connection");
		}
	}

	@Override
	public void complete() {
		this.body.tryEmitComplete();
	}

	@Override
	public void abort(Throwable cause) {
		this.body.tryEmitError(cause);
		this.response.tryEmitError(cause);
	}

}
