package io.springwsgi.core.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A response sink of either kind that records everything, in order, for assertions: a whole
 * response as {@code respond <status>}, a streamed one as {@code start <status>},
 * {@code write <length>}... then {@code complete} or {@code abort}. Optionally a client that
 * goes away after some chunks. It never blocks and never falls behind.
 */
public final class RecordingSink implements BlockingResponseSink, WindowedResponseSink {

	public final List<String> events = new CopyOnWriteArrayList<>();

	/** Completes when the response is complete, whole or aborted. */
	public final CompletableFuture<Void> done = new CompletableFuture<>();

	public final CompletableFuture<Void> firstChunk = new CompletableFuture<>();

	private final ByteArrayOutputStream body = new ByteArrayOutputStream();

	private final int disconnectAfterChunks;

	public volatile int status;

	public volatile String reason;

	public volatile List<Map.Entry<String, String>> headers = List.of();

	public volatile Throwable abortCause;

	private int chunks;

	public RecordingSink() {
		this(-1);
	}

	public RecordingSink(int disconnectAfterChunks) {
		this.disconnectAfterChunks = disconnectAfterChunks;
	}

	@Override
	public void start(int status, String reason, List<Map.Entry<String, String>> headers) {
		this.status = status;
		this.reason = reason;
		this.headers = List.copyOf(headers);
		this.events.add("start " + status);
	}

	@Override
	public synchronized void respond(int status, String reason, List<Map.Entry<String, String>> headers, byte[] body) {
		this.status = status;
		this.reason = reason;
		this.headers = List.copyOf(headers);
		this.body.write(body, 0, body.length);
		this.events.add("respond " + status);
		this.done.complete(null);
	}

	@Override
	public synchronized void write(byte[] chunk) throws IOException {
		if (this.disconnectAfterChunks >= 0 && this.chunks >= this.disconnectAfterChunks) {
			this.events.add("write refused");
			throw new IOException("client went away");
		}
		this.chunks++;
		this.body.write(chunk, 0, chunk.length);
		this.events.add("write " + chunk.length);
		this.firstChunk.complete(null);
	}

	@Override
	public boolean fallenBehind(Runnable resume) {
		return false;
	}

	@Override
	public void complete() {
		this.events.add("complete");
		this.done.complete(null);
	}

	@Override
	public void abort(Throwable cause) {
		this.abortCause = cause;
		this.events.add("abort");
		this.done.complete(null);
	}

	public synchronized String bodyText() {
		return this.body.toString(StandardCharsets.UTF_8);
	}

	public synchronized byte[] bodyBytes() {
		return this.body.toByteArray();
	}

	public String header(String name) {
		return this.headers.stream()
			.filter((header) -> header.getKey().equalsIgnoreCase(name))
			.map(Map.Entry::getValue)
			.findFirst()
			.orElse(null);
	}

	/**
	 * Wait for the response to end.
	 * @return this sink
	 */
	public RecordingSink awaitEnd() {
		try {
			this.done.get(60, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new AssertionError("the response did not end: " + this.events, ex);
		}
		return this;
	}

}
