package io.springwsgi.core.pool;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The contexts of one app, created over the shared engine and closed together. Two
 * strategies share this contract, the way jruby-rack keeps a pooling and a shared application
 * factory behind one interface:
 * <ul>
 * <li>{@link ExclusiveContextPool}: one request at a time per context, each on a thread of its
 * own; a request waits for a free context (WSGI);</li>
 * <li>{@link SharedContextPool}: many requests at once per context, each context an event
 * loop; a request goes to the least loaded one (ASGI).</li>
 * </ul>
 * Health, metrics and the actuator endpoint read {@link #statistics()} and need not know
 * which.
 */
public interface ContextPool extends AutoCloseable {

	/**
	 * Create every context: the first alone, so the others find its code already parsed in
	 * the shared engine, then the others in parallel.
	 * @throws io.springwsgi.core.app.AppLoadException if the app cannot be loaded
	 */
	default void start() {
		try {
			startFirst().join();
			startOthers().join();
		}
		catch (CompletionException ex) {
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime : ex;
		}
	}

	/**
	 * Create the first context in the background; it takes requests as soon as it is loaded.
	 * @return completes when the first context is ready, or exceptionally with
	 * {@link io.springwsgi.core.app.AppLoadException}
	 */
	CompletableFuture<Void> startFirst();

	/**
	 * Create the other contexts in the background, in parallel; call it once the first is
	 * ready. Each takes requests as soon as it is loaded.
	 * @return completes when every context is ready
	 */
	CompletableFuture<Void> startOthers();

	/**
	 * The number of contexts.
	 * @return the pool size
	 */
	int size();

	/**
	 * The corrections of known GraalPy incompatibilities its contexts applied at import.
	 * @return one line each: package, version, what was corrected and why
	 */
	List<String> corrections();

	/**
	 * What the pool is doing now.
	 * @return its statistics
	 */
	PoolStatistics statistics();

	/**
	 * Refuse new requests, let running ones finish within {@code grace}, then close every
	 * context.
	 * @param grace how long running requests may take
	 */
	void close(Duration grace);

	@Override
	default void close() {
		close(Duration.ofSeconds(30));
	}

}
