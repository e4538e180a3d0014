package io.springwsgi.boot.web;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.springwsgi.core.http.ResponseSink;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Carries a response from the Python thread to Reactor: the status and headers become the
 * {@link ServerResponse}, each body chunk a {@link DataBuffer} emitted only when the client
 * has asked for more, so a slow client blocks the Python thread instead of filling the heap.
 *
 * <p>The response is written on the given scheduler (the connection's event loop), not on the
 * Python thread: the Python thread is free for the next request as soon as the app is done,
 * instead of writing the response through Spring and Netty (14% of the request work in a
 * warmed Flask profile, most of it on the Python threads).
 */
final class ReactiveResponseSink implements ResponseSink {

	private final DataBufferFactory bufferFactory;

	private final Scheduler scheduler;

	private final Sinks.One<ServerResponse> response = Sinks.one();

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	private FluxSink<DataBuffer> emitter;

	private long demand;

	private boolean cancelled;

	private boolean completed;

	private Throwable failure;

	ReactiveResponseSink(DataBufferFactory bufferFactory, Scheduler scheduler) {
		this.bufferFactory = bufferFactory;
		this.scheduler = scheduler;
	}

	/**
	 * The response, emitted once the app has sent its status and headers.
	 * @return the response
	 */
	Mono<ServerResponse> response() {
		return this.response.asMono().publishOn(this.scheduler).doOnCancel(this::cancel);
	}

	@Override
	public void start(int status, String reason, List<Map.Entry<String, String>> headers) {
		Flux<DataBuffer> body = Flux.create(this::attach);
		builder(status, headers).body(BodyInserters.fromDataBuffers(body))
			.subscribe(this.response::tryEmitValue, this.response::tryEmitError);
	}

	@Override
	public void respond(int status, String reason, List<Map.Entry<String, String>> headers, byte[] body) {
		builder(status, headers).bodyValue(this.bufferFactory.wrap(body))
			.subscribe(this.response::tryEmitValue, this.response::tryEmitError);
	}

	static ServerResponse.BodyBuilder builder(int status, List<Map.Entry<String, String>> headers) {
		return ServerResponse.status(status)
			.headers((httpHeaders) -> headers.forEach((header) -> httpHeaders.add(header.getKey(), header.getValue())));
	}

	private void attach(FluxSink<DataBuffer> sink) {
		sink.onRequest(this::request);
		sink.onCancel(this::cancel);
		Throwable failed;
		boolean done;
		this.lock.lock();
		try {
			this.emitter = sink;
			failed = this.failure;
			done = this.completed;
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
		// Reactor calls back into request() from inside these: never call them holding the lock.
		if (failed != null) {
			sink.error(failed);
		}
		else if (done) {
			sink.complete();
		}
	}

	private void request(long count) {
		this.lock.lock();
		try {
			this.demand = (this.demand + count < 0) ? Long.MAX_VALUE : this.demand + count;
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void cancel() {
		this.lock.lock();
		try {
			this.cancelled = true;
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void write(byte[] chunk) throws IOException {
		FluxSink<DataBuffer> sink;
		this.lock.lock();
		try {
			while (!this.cancelled && (this.emitter == null || this.demand == 0)) {
				this.changed.await();
			}
			if (this.cancelled) {
				throw new IOException("the client closed the connection");
			}
			this.demand--;
			sink = this.emitter;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted while waiting for the client", ex);
		}
		finally {
			this.lock.unlock();
		}
		sink.next(this.bufferFactory.wrap(chunk));
	}

	@Override
	public void complete() {
		FluxSink<DataBuffer> sink;
		this.lock.lock();
		try {
			this.completed = true;
			sink = this.emitter;
		}
		finally {
			this.lock.unlock();
		}
		if (sink != null) {
			sink.complete();
		}
	}

	@Override
	public void abort(Throwable cause) {
		FluxSink<DataBuffer> sink;
		this.lock.lock();
		try {
			this.failure = cause;
			sink = this.emitter;
		}
		finally {
			this.lock.unlock();
		}
		if (sink != null) {
			sink.error(cause);
		}
		this.response.tryEmitError(cause);
	}

}
