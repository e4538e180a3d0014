package io.springwsgi.boot.web;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Holds requests to an app whose first context is still loading, without holding a thread,
 * until it serves or the app's acquire timeout has passed; then 503 with {@code Retry-After},
 * as when every context is busy. No more than the app's {@code max-waiting} requests wait; more
 * get that 503 at once. Once the app serves, requests pass straight through.
 */
public final class StartingAppHandlerFunction implements HandlerFunction<ServerResponse> {

	private final String appName;

	private final Supplier<CompletableFuture<Void>> serving;

	private final Duration timeout;

	private final int maxWaiting;

	private final HandlerFunction<ServerResponse> handler;

	private final AtomicInteger waiting;

	/**
	 * Create the handler.
	 * @param appName the app's name, for the 503's body
	 * @param serving completes when the app's first context serves, looked up per request
	 * @param timeout how long a request waits for it
	 * @param maxWaiting the most requests that wait for it at once
	 * @param handler what serves the request then
	 * @param waiting counts the requests waiting for the first context
	 */
	public StartingAppHandlerFunction(String appName, Supplier<CompletableFuture<Void>> serving, Duration timeout,
			int maxWaiting, HandlerFunction<ServerResponse> handler, AtomicInteger waiting) {
		this.appName = appName;
		this.serving = serving;
		this.timeout = timeout;
		this.maxWaiting = maxWaiting;
		this.handler = handler;
		this.waiting = waiting;
	}

	@Override
	public Mono<ServerResponse> handle(ServerRequest request) {
		CompletableFuture<Void> loaded = this.serving.get();
		if (loaded.isDone() && !loaded.isCompletedExceptionally()) {
			return this.handler.handle(request);
		}
		return Mono.defer(() -> {
			if (this.waiting.incrementAndGet() > this.maxWaiting) {
				this.waiting.decrementAndGet();
				return unavailable("is still loading and has " + this.maxWaiting + " requests waiting");
			}
			// A copy, so a request that gives up cancels only its own wait.
			return Mono.fromFuture(loaded.copy())
				.timeout(this.timeout)
				.doFinally((signal) -> this.waiting.decrementAndGet())
				.then(Mono.just(true))
				.onErrorResume((failure) -> Mono.just(false))
				.flatMap((served) -> served ? this.handler.handle(request)
						: unavailable(loaded.isCompletedExceptionally() ? "failed to load" : "is still loading"));
		});
	}

	private Mono<ServerResponse> unavailable(String why) {
		return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header("Retry-After", Long.toString(Math.max(1, this.timeout.toSeconds())))
			.contentType(MediaType.TEXT_PLAIN)
			.bodyValue("Python app '" + this.appName + "' " + why + "; retry later.\n");
	}

}
