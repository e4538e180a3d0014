package io.springwsgi.core.pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.springwsgi.core.python.PythonContext;
import io.springwsgi.core.python.PythonContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared strategy of {@link ContextPool}, for ASGI: a few contexts, each running an event
 * loop with many requests in flight. A request goes to the context with the fewest in flight,
 * or finds none when every context has {@code maxInFlight}; nothing waits.
 */
public final class SharedContextPool implements ContextPool {

	private static final Logger logger = LoggerFactory.getLogger(SharedContextPool.class);

	private final PythonContextFactory factory;

	private final int maxInFlight;

	private final List<EventLoopContext> contexts = new ArrayList<>();

	private volatile long startedAt = System.nanoTime();

	/**
	 * Create a pool; no context exists until {@link #start()}.
	 * @param factory creates the app's contexts
	 * @param size how many contexts, each with its own event loop
	 * @param maxInFlight requests one context serves at once
	 * @param lifespan what runs in each context after it is created and before it is closed
	 */
	public SharedContextPool(PythonContextFactory factory, int size, int maxInFlight, Lifespan lifespan) {
		this.factory = factory;
		this.maxInFlight = maxInFlight;
		for (int i = 0; i < size; i++) {
			this.contexts.add(new EventLoopContext(factory.app().name(), i, lifespan));
		}
	}

	/**
	 * Create the first context and run its lifespan startup, in the background.
	 * @return completes when the first context is ready, or exceptionally with
	 * {@link io.springwsgi.core.app.AppLoadException}; the contexts are closed then
	 */
	@Override
	public CompletableFuture<Void> startFirst() {
		this.startedAt = System.nanoTime();
		return closeOnFailure(this.contexts.get(0).start(this.factory));
	}

	@Override
	public CompletableFuture<Void> startOthers() {
		CompletableFuture<?>[] others = this.contexts.subList(1, this.contexts.size())
			.stream()
			.map((context) -> context.start(this.factory))
			.toArray(CompletableFuture[]::new);
		return closeOnFailure(CompletableFuture.allOf(others)).thenRun(() -> logger.info(
				"Python app {}: {} context(s) with an event loop each ready in {} ms; up to {} requests in flight "
						+ "per context",
				this.factory.app(), this.contexts.size(), (System.nanoTime() - this.startedAt) / 1_000_000,
				this.maxInFlight));
	}

	private CompletableFuture<Void> closeOnFailure(CompletableFuture<Void> start) {
		return start.whenComplete((done, failure) -> {
			if (failure != null) {
				close(Duration.ZERO);
			}
		});
	}

	/**
	 * Count a request in on the context with the fewest in flight.
	 * @return the context, to be {@linkplain EventLoopContext#release() released} when the app
	 * is done with the request; {@code null} when every context has its limit in flight
	 */
	public EventLoopContext acquire() {
		while (true) {
			EventLoopContext best = null;
			for (EventLoopContext context : this.contexts) {
				if (context.isReady() && (best == null || context.inFlight() < best.inFlight())) {
					best = context;
				}
			}
			if (best == null) {
				return null;
			}
			if (best.tryAcquire(this.maxInFlight)) {
				return best;
			}
			if (best.inFlight() >= this.maxInFlight) {
				return null;
			}
		}
	}

	/**
	 * Count a request in on one given context: for work that must reach each context, such as
	 * warm-up requests.
	 * @param index which context, from 0 to {@link #size()} - 1
	 * @return the context, or {@code null} when it is not ready or has its limit in flight
	 */
	public EventLoopContext acquire(int index) {
		EventLoopContext context = this.contexts.get(index);
		return (context.isReady() && context.tryAcquire(this.maxInFlight)) ? context : null;
	}

	/**
	 * Requests one context serves at once.
	 * @return the limit
	 */
	public int maxInFlight() {
		return this.maxInFlight;
	}

	@Override
	public int size() {
		return this.contexts.size();
	}

	@Override
	public List<String> corrections() {
		return this.factory.corrections();
	}

	@Override
	public PoolStatistics statistics() {
		int ready = (int) this.contexts.stream().filter(EventLoopContext::isReady).count();
		int inFlight = this.contexts.stream().mapToInt(EventLoopContext::inFlight).sum();
		return new PoolStatistics(size(), ready, inFlight, 0, 0, 0);
	}

	/**
	 * Refuse new requests, let those in flight finish within {@code grace}, run the lifespan
	 * shutdown and close the contexts.
	 * @param grace how long requests in flight may take
	 */
	@Override
	public void close(Duration grace) {
		// Each on a thread of its own: closing waits for requests and the lifespan shutdown.
		List<Thread> closing = this.contexts.stream()
			.map((context) -> Thread.ofPlatform()
				.name("python-" + this.factory.app().name() + "-close")
				.start(() -> context.close(grace)))
			.toList();
		for (Thread thread : closing) {
			try {
				thread.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
	}

	/**
	 * What runs in each context after it is created, before it takes requests, and before it
	 * is closed: for ASGI, the lifespan protocol.
	 */
	public interface Lifespan {

		/**
		 * Prepare a new context.
		 * @param context the context, on its feeder thread
		 * @param index which context of the pool
		 * @throws io.springwsgi.core.app.AppLoadException if the context cannot serve
		 */
		void startup(PythonContext context, int index);

		/**
		 * Take leave of a context about to be closed.
		 * @param context the context, on its feeder thread
		 * @param index which context of the pool
		 */
		void shutdown(PythonContext context, int index);

		/**
		 * The longest a startup or shutdown takes.
		 * @return the timeout
		 */
		Duration timeout();

	}

}
