package io.springwsgi.boot.web;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.springwsgi.core.http.BlockingResponseSink;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Scheduler;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
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
final class BlockingServerResponseSink extends ServerResponseSink implements BlockingResponseSink {

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	private FluxSink<DataBuffer> emitter;

	private long demand;

	private boolean completed;

	/** Why writing is over, or {@code null} while the response is open. */
	private String closedReason;

	private Throwable failure;

	BlockingServerResponseSink(DataBufferFactory bufferFactory, Scheduler scheduler) {
		super(bufferFactory, scheduler);
	}

	@Override
	public void start(int status, String reason, List<Map.Entry<String, String>> headers) {
		start(status, headers, Flux.create(this::attach));
	}

	private void attach(FluxSink<DataBuffer> sink) {
		sink.onRequest(this::request);
		sink.onCancel(this::clientGone);
		// Any end of the body, an error from the server's side included, ends a waiting write.
		sink.onDispose(() -> close("the response ended"));
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

	@Override
	void clientGone() {
		close("the client closed the connection");
	}

	private void close(String reason) {
		this.lock.lock();
		try {
			closeLocked(reason);
		}
		finally {
			this.lock.unlock();
		}
	}

	private void closeLocked(String reason) {
		if (this.closedReason == null) {
			this.closedReason = reason;
			this.changed.signalAll();
		}
	}

	@Override
	public void write(byte[] chunk) throws IOException {
		FluxSink<DataBuffer> sink;
		this.lock.lock();
		try {
			while (this.closedReason == null && (this.emitter == null || this.demand == 0)) {
				this.changed.await();
			}
			if (this.closedReason != null) {
				throw new IOException(this.closedReason);
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
		sink.next(wrap(chunk));
	}

	@Override
	public void complete() {
		FluxSink<DataBuffer> sink;
		this.lock.lock();
		try {
			this.completed = true;
			closeLocked("the response was complete");
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
			closeLocked("the response was aborted: " + cause.getMessage());
			sink = this.emitter;
		}
		finally {
			this.lock.unlock();
		}
		if (sink != null) {
			sink.error(cause);
		}
		fail(cause);
	}

}
