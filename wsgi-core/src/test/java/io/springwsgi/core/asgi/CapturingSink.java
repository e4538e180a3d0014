package io.springwsgi.core.asgi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.springwsgi.core.http.ResponseSink;

/**
 * A {@link ResponseSink} that never blocks, as the ASGI bridge requires, and records the
 * response for assertions.
 */
final class CapturingSink implements ResponseSink {

	final List<String> events = new CopyOnWriteArrayList<>();

	final CompletableFuture<Void> firstChunk = new CompletableFuture<>();

	final CompletableFuture<Void> ended = new CompletableFuture<>();

	private final ByteArrayOutputStream body = new ByteArrayOutputStream();

	volatile int status;

	volatile List<Map.Entry<String, String>> headers = List.of();

	volatile Throwable abortCause;

	@Override
	public void start(int status, String reason, List<Map.Entry<String, String>> headers) {
		this.status = status;
		this.headers = List.copyOf(headers);
		this.events.add("start " + status);
	}

	@Override
	public synchronized void respond(int status, String reason, List<Map.Entry<String, String>> headers, byte[] body) {
		this.status = status;
		this.headers = List.copyOf(headers);
		this.body.write(body, 0, body.length);
		this.events.add("respond " + status);
		this.ended.complete(null);
	}

	@Override
	public synchronized void write(byte[] chunk) {
		this.body.write(chunk, 0, chunk.length);
		this.events.add("write " + chunk.length);
		this.firstChunk.complete(null);
	}

	@Override
	public void complete() {
		this.events.add("complete");
		this.ended.complete(null);
	}

	@Override
	public void abort(Throwable cause) {
		this.abortCause = cause;
		this.events.add("abort");
		this.ended.complete(null);
	}

	synchronized String bodyText() {
		return this.body.toString(StandardCharsets.UTF_8);
	}

	String header(String name) {
		return this.headers.stream()
			.filter((header) -> header.getKey().equalsIgnoreCase(name))
			.map(Map.Entry::getValue)
			.findFirst()
			.orElse(null);
	}

	CapturingSink awaitEnd() {
		try {
			this.ended.get(60, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new AssertionError("the response did not end: " + this.events, ex);
		}
		return this;
	}

}
