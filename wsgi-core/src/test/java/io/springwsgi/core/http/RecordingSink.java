package io.springwsgi.core.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link ResponseSink} that records everything, in order, for assertions; optionally a
 * client that goes away after some chunks.
 */
public final class RecordingSink implements ResponseSink {

	public final List<String> events = new CopyOnWriteArrayList<>();

	public final CompletableFuture<Void> done = new CompletableFuture<>();

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
		this.headers = new ArrayList<>(headers);
		this.events.add("start " + status);
	}

	@Override
	public synchronized void write(byte[] chunk) throws IOException {
		if (this.disconnectAfterChunks >= 0 && this.chunks >= this.disconnectAfterChunks) {
			this.events.add("write refused");
			throw new IOException("client went away");
		}
		this.chunks++;
		this.body.write(chunk);
		this.events.add("write " + chunk.length);
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

}
