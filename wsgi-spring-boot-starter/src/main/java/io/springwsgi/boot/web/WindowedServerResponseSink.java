package io.springwsgi.boot.web;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import io.springwsgi.core.http.WindowedResponseSink;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;

/**
 * Carries an ASGI response from a context's event loop to Reactor without ever blocking: the
 * loop serves other requests meanwhile, so chunks the server has not taken yet are buffered.
 * Once more than {@link #WINDOW} bytes wait, the sink says it has {@linkplain #fallenBehind
 * fallen behind}, and the app's {@code send} waits until half of them have gone: a slow client
 * slows its response down instead of filling the heap. When the client goes away,
 * {@code onClientGone} runs.
 */
final class WindowedServerResponseSink extends ServerResponseSink implements WindowedResponseSink {

	/** Bytes buffered for a client before the app's sends wait for it. */
	static final long WINDOW = 1024 * 1024;

	/**
	 * Largest buffer handed to the server. Reactor Netty takes up to 128 buffers ahead of
	 * the connection, so their size bounds what it holds for a slow client beyond the window.
	 */
	static final int SLICE = 16 * 1024;

	private final Sinks.Many<DataBuffer> body = Sinks.many().unicast().onBackpressureBuffer();

	private volatile Runnable onClientGone = () -> {
	};

	private final SendWindow window = new SendWindow(WINDOW);

	private volatile boolean gone;

	WindowedServerResponseSink(DataBufferFactory bufferFactory, Scheduler scheduler) {
		super(bufferFactory, scheduler);
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

	@Override
	void clientGone() {
		this.gone = true;
		this.onClientGone.run();
	}

	@Override
	public void start(int status, String reason, List<Map.Entry<String, String>> headers) {
		start(status, headers, this.body.asFlux()
			.doOnNext((buffer) -> this.window.taken(buffer.readableByteCount()))
			.doOnCancel(this::clientGone));
	}

	@Override
	public void write(byte[] chunk) throws IOException {
		this.window.added(chunk.length);
		for (int offset = 0; offset < chunk.length; offset += SLICE) {
			ByteBuffer slice = ByteBuffer.wrap(chunk, offset, Math.min(SLICE, chunk.length - offset));
			if (this.body.tryEmitNext(bufferFactory().wrap(slice)).isFailure()) {
				throw new IOException("the client closed the connection");
			}
		}
	}

	@Override
	public boolean fallenBehind(Runnable resume) {
		return this.window.fallenBehind(resume);
	}

	@Override
	public void complete() {
		this.body.tryEmitComplete();
	}

	@Override
	public void abort(Throwable cause) {
		this.body.tryEmitError(cause);
		fail(cause);
		// A send waiting for the client goes on, and its next write fails on the errored body.
		this.window.release();
	}

}
