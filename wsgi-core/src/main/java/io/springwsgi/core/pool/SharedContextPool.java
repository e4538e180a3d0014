package io.springwsgi.core.pool;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.springwsgi.core.python.PythonContext;
import io.springwsgi.core.python.PythonContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared strategy of {@link ContextPool}, for ASGI: a few contexts, each running an event
 * loop with many requests in flight. A request goes to the context with the fewest in flight,
 * or finds none when every context has {@code maxInFlight}; nothing waits. A context whose
 * event loop stopped running is {@linkplain #replace(EventLoopContext, String) replaced}.
 */
public final class SharedContextPool implements ContextPool {

	private static final Logger logger = LoggerFactory.getLogger(SharedContextPool.class);

	/** How long a retired context's requests in flight and lifespan shutdown may take. */
	private static final Duration RETIRE_GRACE = Duration.ofMinutes(1);

	private final PythonContextFactory factory;

	private final int maxInFlight;

	private final int maxRequests;

	private final SharedContextPool.Lifespan lifespan;

	private final AtomicReferenceArray<EventLoopContext> contexts;

	private final AtomicInteger replaced = new AtomicInteger();

	private final AtomicInteger abandoned = new AtomicInteger();

	private volatile long startedAt = System.nanoTime();

	private volatile boolean closed;

	/**
	 * Create a pool; no context exists until {@link #start()}.
	 * @param factory creates the app's contexts
	 * @param size how many contexts, each with its own event loop
	 * @param maxInFlight requests one context serves at once
	 * @param maxRequests requests after which a context is {@linkplain #retire retired}, 0 for
	 * never
	 * @param lifespan what runs in each context after it is created and before it is closed
	 */
	public SharedContextPool(PythonContextFactory factory, int size, int maxInFlight, int maxRequests,
			Lifespan lifespan) {
		this.factory = factory;
		this.maxInFlight = maxInFlight;
		this.maxRequests = maxRequests;
		this.lifespan = lifespan;
		this.contexts = new AtomicReferenceArray<>(size);
		for (int i = 0; i < size; i++) {
			this.contexts.set(i, new EventLoopContext(factory.app().name(), i, 1, lifespan));
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
		CompletableFuture<?>[] others = contexts().skip(1)
			.map((context) -> context.start(this.factory))
			.toArray(CompletableFuture[]::new);
		return closeOnFailure(CompletableFuture.allOf(others)).thenRun(() -> logger.info(
				"Python app {}: {} context(s) with an event loop each ready in {} ms; up to {} requests in flight "
						+ "per context",
				this.factory.app(), size(), (System.nanoTime() - this.startedAt) / 1_000_000,
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
			for (int i = 0; i < this.contexts.length(); i++) {
				EventLoopContext context = this.contexts.get(i);
				if (context.isReady() && (best == null || context.inFlight() < best.inFlight())) {
					best = context;
				}
			}
			if (best == null) {
				return null;
			}
			if (best.tryAcquire(this.maxInFlight)) {
				if (this.maxRequests > 0 && best.served() >= this.maxRequests && best.startRetiring()) {
					retire(best);
				}
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

	/**
	 * Give a context up whose event loop stopped running, and start a new one in its place;
	 * until the new one is ready, requests go to the others or are refused. Nothing waits for
	 * the old one: its requests in flight are answered in the app's place, and it is cancelled
	 * in the background. Does nothing if the context was replaced already.
	 * @param old the context
	 * @param why what went wrong, for the log
	 */
	public void replace(EventLoopContext old, String why) {
		EventLoopContext fresh = new EventLoopContext(this.factory.app().name(), old.index(), old.generation() + 1,
				this.lifespan);
		if (this.closed) {
			old.abandon(why);
			return;
		}
		if (!this.contexts.compareAndSet(old.index(), old, fresh)) {
			return;
		}
		this.replaced.incrementAndGet();
		this.abandoned.incrementAndGet();
		old.abandon(why);
		fresh.start(this.factory).whenComplete((done, failure) -> {
			if (failure != null) {
				logger.error("Python app '{}': the context replacing context {} failed to start; that slot stays empty",
						this.factory.app().name(), old.index(), failure);
			}
		});
	}

	/**
	 * Replace a context that has served its maximum number of requests without a gap: it
	 * serves on until a new one is ready in its place, then closes once its requests in
	 * flight are done, within {@link #RETIRE_GRACE}.
	 */
	private void retire(EventLoopContext old) {
		EventLoopContext fresh = new EventLoopContext(this.factory.app().name(), old.index(), old.generation() + 1,
				this.lifespan);
		fresh.start(this.factory).whenComplete((done, failure) -> {
			if (failure != null) {
				logger.error("Python app '{}': the context to replace context {} after {} requests failed to start; "
						+ "context {} serves on", this.factory.app().name(), old.index(), this.maxRequests, old.index(),
						failure);
				closeInBackground(fresh, Duration.ZERO);
			}
			else if (this.closed || !this.contexts.compareAndSet(old.index(), old, fresh)) {
				closeInBackground(fresh, Duration.ZERO);
			}
			else {
				this.replaced.incrementAndGet();
				logger.info("Python app '{}': context {} retired after {} requests", this.factory.app().name(),
						old.index(), this.maxRequests);
				closeInBackground(old, RETIRE_GRACE);
			}
		});
	}

	/** Not on the feeder that started the new context: closing waits for requests in flight. */
	private void closeInBackground(EventLoopContext context, Duration grace) {
		Thread.ofPlatform()
			.name("python-" + this.factory.app().name() + "-" + context.index() + "-retire")
			.daemon()
			.start(() -> context.close(grace));
	}

	@Override
	public int size() {
		return this.contexts.length();
	}

	private Stream<EventLoopContext> contexts() {
		return IntStream.range(0, this.contexts.length()).mapToObj(this.contexts::get);
	}

	@Override
	public List<String> corrections() {
		return this.factory.corrections();
	}

	@Override
	public PoolStatistics statistics() {
		int ready = (int) contexts().filter(EventLoopContext::isReady).count();
		int inFlight = contexts().mapToInt(EventLoopContext::inFlight).sum();
		return new PoolStatistics(size(), ready, inFlight, 0, this.replaced.get(), this.abandoned.get());
	}

	/**
	 * Refuse new requests, let those in flight finish, run the lifespan shutdown and close
	 * the contexts, all within {@code grace}; a context that has not closed by then is given
	 * up, its requests answered in the app's place.
	 * @param grace how long closing may take
	 */
	@Override
	public void close(Duration grace) {
		this.closed = true;
		// Each on a thread of its own: closing waits for requests and the lifespan shutdown.
		List<Thread> closing = contexts().map((context) -> Thread.ofPlatform()
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
