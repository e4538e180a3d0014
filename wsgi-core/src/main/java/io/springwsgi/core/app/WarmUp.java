package io.springwsgi.core.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests replayed against each context of an app once it is loaded, so that GraalPy has
 * run (and begun to compile) the app's request path before the app reports itself ready.
 * Each context replays the list {@code rounds} times, one request at a time, and stops early
 * when {@code maxDuration} has passed.
 *
 * @param requests request lines such as {@code GET /posts?limit=1}: a method and a target
 * relative to the app's mount path
 * @param rounds how many times each context replays the list
 * @param maxDuration how long a context may spend on its warm-up
 */
public record WarmUp(List<String> requests, int rounds, Duration maxDuration) {

	/** No warm-up: the app is ready as soon as its contexts are loaded. */
	public static final WarmUp NONE = new WarmUp(List.of(), 0, Duration.ZERO);

	private static final Logger logger = LoggerFactory.getLogger(WarmUp.class);

	public WarmUp {
		requests = List.copyOf(requests);
		Objects.requireNonNull(maxDuration, "maxDuration");
		for (String request : requests) {
			parse(request);
		}
	}

	/**
	 * The method of a request line.
	 * @param request a request line, {@code GET /posts}
	 * @return the method, {@code GET}
	 */
	public static String method(String request) {
		return parse(request)[0];
	}

	/**
	 * The target of a request line: the path and query below the mount path.
	 * @param request a request line, {@code GET /posts?limit=1}
	 * @return the target, {@code /posts?limit=1}
	 */
	public static String target(String request) {
		return parse(request)[1];
	}

	private static String[] parse(String request) {
		String[] parts = request.strip().split("\\s+");
		if (parts.length != 2 || !parts[1].startsWith("/") || !parts[0].chars().allMatch(Character::isLetter)) {
			throw new IllegalArgumentException(
					"a warm-up request must be a method and a path below the mount path, such as 'GET /posts', not '"
							+ request + "'");
		}
		return new String[] { parts[0].toUpperCase(java.util.Locale.ROOT), parts[1] };
	}

	/**
	 * Whether there is anything to replay.
	 * @return {@code true} if each context gets at least one request
	 */
	public boolean isEnabled() {
		return !this.requests.isEmpty() && this.rounds > 0 && this.maxDuration.isPositive();
	}

	/**
	 * Replay the requests against every context, the contexts in parallel. Nothing blocks: each
	 * request is sent when the previous one of its context has been answered.
	 * @param appName the app, for the log
	 * @param contexts how many contexts
	 * @param sender sends one request to one context
	 * @return completes with the number of requests replayed once every context is done; a
	 * request that fails or is not answered with a 2xx or 3xx status is logged, not fatal
	 */
	public CompletableFuture<Integer> run(String appName, int contexts, Sender sender) {
		if (!isEnabled()) {
			return CompletableFuture.completedFuture(0);
		}
		long start = System.nanoTime();
		AtomicInteger replayed = new AtomicInteger();
		List<CompletableFuture<Void>> all = new ArrayList<>();
		for (int index = 0; index < contexts; index++) {
			all.add(replay(appName, sender, index, 0, System.nanoTime() + this.maxDuration.toNanos(), replayed));
		}
		return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply((done) -> {
			logger.info("Python app '{}': {} context(s) warmed up with {} request(s) in {} ms", appName, contexts,
					replayed.get(), (System.nanoTime() - start) / 1_000_000);
			return replayed.get();
		});
	}

	private CompletableFuture<Void> replay(String appName, Sender sender, int context, int sent, long deadline,
			AtomicInteger replayed) {
		if (sent >= this.rounds * this.requests.size() || System.nanoTime() - deadline >= 0) {
			return CompletableFuture.completedFuture(null);
		}
		String request = this.requests.get(sent % this.requests.size());
		CompletableFuture<Integer> answer;
		try {
			answer = sender.send(context, method(request), target(request));
		}
		catch (RuntimeException ex) {
			answer = CompletableFuture.failedFuture(ex);
		}
		return answer.handle((status, failure) -> {
			replayed.incrementAndGet();
			boolean firstRound = sent < this.requests.size();
			if (failure != null && firstRound) {
				logger.warn("Python app '{}': warm-up request '{}' failed on context {}: {}", appName, request, context,
						failure.toString());
			}
			else if (failure == null && (status < 200 || status >= 400) && (firstRound || status == 503)) {
				logger.warn("Python app '{}': warm-up request '{}' was answered {} on context {}; check "
						+ "the app's warm-up requests", appName, request, status, context);
			}
			// 503: the pool is closing, or refuses work; the rest would fare no better.
			return failure == null && status != 503;
		}).thenCompose((goOn) -> goOn ? replay(appName, sender, context, sent + 1, deadline, replayed)
				: CompletableFuture.completedFuture(null));
	}

	/**
	 * Sends one warm-up request through an app's request path to one of its contexts.
	 */
	@FunctionalInterface
	public interface Sender {

		/**
		 * Send a request.
		 * @param context which context, from 0
		 * @param method the method, {@code GET}
		 * @param target path and query below the mount path, {@code /posts?limit=1}
		 * @return the response's status once the response is complete
		 */
		CompletableFuture<Integer> send(int context, String method, String target);

	}

}
