package io.springwsgi.boot.web;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a sender that must never block, an ASGI app on its event loop, has handed to a
 * connection and the connection has not taken yet. Once more than the window waits, the
 * sender is told it has {@linkplain #fallenBehind fallen behind} and pauses until half of it
 * has gone: a slow client slows the sender down instead of filling the heap.
 */
final class SendWindow {

	private final long size;

	private final AtomicLong buffered = new AtomicLong();

	private final AtomicReference<Runnable> resume = new AtomicReference<>();

	/**
	 * A window.
	 * @param size the bytes that may wait before the sender pauses
	 */
	SendWindow(long size) {
		this.size = size;
	}

	/**
	 * The sender handed bytes over.
	 * @param bytes how many
	 */
	void added(long bytes) {
		this.buffered.addAndGet(bytes);
	}

	/**
	 * The connection took bytes to write them; a paused sender resumes once half the window
	 * is free.
	 * @param bytes how many
	 */
	void taken(long bytes) {
		if (this.buffered.addAndGet(-bytes) <= this.size / 2) {
			release();
		}
	}

	/**
	 * Let a paused sender go on whatever waits, as when the connection ends: its next send
	 * fails there.
	 */
	void release() {
		Runnable waiting = this.resume.getAndSet(null);
		if (waiting != null) {
			waiting.run();
		}
	}

	/**
	 * Whether the sender should pause until {@code resume} runs.
	 * @param resume what to run, once and from any thread, when the connection has caught up;
	 * kept only when this returns {@code true}
	 * @return whether to wait for {@code resume}
	 */
	boolean fallenBehind(Runnable resume) {
		if (this.buffered.get() <= this.size) {
			return false;
		}
		this.resume.set(resume);
		// The connection may have caught up before resume was set, and then found nothing to run.
		return this.buffered.get() > this.size / 2 || !this.resume.compareAndSet(resume, null);
	}

}
