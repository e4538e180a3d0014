package io.springwsgi.core.app;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.springwsgi.core.pool.ContextPool;

/**
 * A Python app loaded into its contexts and serving one protocol: what a host starts, reloads
 * and closes without caring whether it speaks WSGI or ASGI.
 */
public interface AppServer extends AutoCloseable {

	/**
	 * Create the contexts and load the app into each: {@link #startFirst()}, then
	 * {@link #startOthers()}, waiting for both.
	 * @throws AppLoadException if the app cannot be loaded
	 */
	default void start() {
		pool().start();
	}

	/**
	 * Load the app into its first context, in the background; the app serves requests from
	 * then on.
	 * @return completes when the first context is ready, or exceptionally with
	 * {@link AppLoadException}
	 */
	default CompletableFuture<Void> startFirst() {
		return pool().startFirst();
	}

	/**
	 * Create the other contexts in the background, once the first is ready; each serves
	 * requests as soon as it is loaded.
	 * @return completes when every context is ready, or exceptionally with
	 * {@link AppLoadException}
	 */
	default CompletableFuture<Void> startOthers() {
		return pool().startOthers();
	}

	/**
	 * Replay warm-up requests through the app's request path against each context.
	 * @param warmUp the requests
	 * @return completes with the number of requests replayed
	 */
	CompletableFuture<Integer> warmUp(WarmUp warmUp);

	/**
	 * The app's contexts, whichever strategy serves them: for statistics.
	 * @return the pool
	 */
	ContextPool pool();

	/**
	 * The app's name.
	 * @return the name
	 */
	String name();

	/**
	 * The corrections of known GraalPy incompatibilities its contexts applied at import.
	 * @return one line each: package, version, what was corrected and why
	 */
	default List<String> corrections() {
		return pool().corrections();
	}

	/**
	 * Refuse new requests, let running ones finish within {@code grace}, then close the
	 * contexts.
	 * @param grace how long running requests may take
	 */
	default void close(Duration grace) {
		pool().close(grace);
	}

	@Override
	default void close() {
		close(Duration.ofSeconds(30));
	}

}
