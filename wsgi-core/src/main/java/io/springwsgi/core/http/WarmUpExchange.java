package io.springwsgi.core.http;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One warm-up request as the server would have received it, and a sink that keeps only the
 * response's status: it never blocks and never falls behind, so it serves either protocol.
 */
public final class WarmUpExchange implements BlockingResponseSink, WindowedResponseSink {

	private final RequestHead request;

	private final CompletableFuture<Integer> status = new CompletableFuture<>();

	private volatile int started;

	/**
	 * Create the exchange.
	 * @param mountPath the app's mount path, {@code /flask}
	 * @param method the method, {@code GET}
	 * @param target path and query below the mount path, {@code /posts?limit=1}
	 */
	public WarmUpExchange(String mountPath, String method, String target) {
		int query = target.indexOf('?');
		String path = mountPath + ((query >= 0) ? target.substring(0, query) : target);
		this.request = new RequestHead(method, "http", path, (query >= 0) ? target.substring(query + 1) : null,
				"HTTP/1.1", List.of(Map.entry("Host", "localhost"), Map.entry("User-Agent", "springwsgi-warm-up")),
				"localhost", 80, "127.0.0.1", 0);
	}

	/**
	 * The request.
	 * @return the request head; it has no body
	 */
	public RequestHead request() {
		return this.request;
	}

	/**
	 * The response's status, once the response is complete.
	 * @return the status; completes exceptionally if the response was aborted
	 */
	public CompletableFuture<Integer> status() {
		return this.status;
	}

	@Override
	public void start(int status, String reason, List<Map.Entry<String, String>> headers) {
		this.started = status;
	}

	@Override
	public void write(byte[] chunk) {
	}

	@Override
	public boolean fallenBehind(Runnable resume) {
		return false;
	}

	@Override
	public void complete() {
		this.status.complete(this.started);
	}

	@Override
	public void abort(Throwable cause) {
		this.status.completeExceptionally(cause);
	}

}
