package io.springwsgi.core.pool;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.springwsgi.core.python.PythonContext;
import io.springwsgi.core.python.PythonContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One context of a {@link SharedContextPool} and the event loop it runs on a Python thread of
 * its own. Unlike a context of an exclusive pool it is shared: any number of requests, up to a
 * limit, are in flight in it at once. Java enters it only from its feeder thread, to hand
 * requests, body chunks and disconnects to the loop; that thread never waits for Python code
 * to finish.
 * <p>
 * A loop that stops running (a coroutine that never awaits, {@code time.sleep}, a hung call)
 * cannot be stopped from Java for sure: such a context is {@linkplain #abandon(String) given
 * up}, its requests answered in the app's place, and nobody waits for it.
 */
public final class EventLoopContext {

	private static final Logger logger = LoggerFactory.getLogger(EventLoopContext.class);

	private static final long THREAD_STACK_SIZE = 16 * 1024 * 1024;

	private final String appName;

	private final int index;

	private final int generation;

	private final SharedContextPool.Lifespan lifespan;

	private final ExecutorService feeder;

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicInteger served = new AtomicInteger();

	private final AtomicBoolean retiring = new AtomicBoolean();

	private final Object idle = new Object();

	/** What answers each request in flight if the context is given up. */
	private final Set<Runnable> abandonActions = ConcurrentHashMap.newKeySet();

	private volatile PythonContext context;

	private volatile boolean closing;

	private volatile boolean abandoned;

	EventLoopContext(String appName, int index, int generation, SharedContextPool.Lifespan lifespan) {
		this.appName = appName;
		this.index = index;
		this.generation = generation;
		this.lifespan = lifespan;
		this.feeder = Executors.newSingleThreadExecutor(Thread.ofPlatform()
			.name("python-" + appName + "-" + index + ((generation > 1) ? "-" + generation : ""))
			.stackSize(THREAD_STACK_SIZE)
			.daemon()
			.factory());
	}

	/**
	 * Create the context, start its event loop and run the lifespan's startup.
	 * @throws io.springwsgi.core.app.AppLoadException if the app fails to import or its
	 * startup fails
	 */
	CompletableFuture<Void> start(PythonContextFactory factory) {
		return CompletableFuture.runAsync(() -> {
			PythonContext created = factory.create(this.generation);
			try {
				this.lifespan.startup(created, this.index);
			}
			catch (RuntimeException ex) {
				created.close();
				throw ex;
			}
			this.context = created;
			if (this.closing) {
				// Closed or given up while it started: nobody else closes it.
				this.context = null;
				created.close();
			}
		}, this.feeder);
	}

	/**
	 * Count a request in, unless the context is closing or has {@code limit} in flight.
	 */
	boolean tryAcquire(int limit) {
		while (true) {
			int current = this.inFlight.get();
			if (this.closing || current >= limit) {
				return false;
			}
			if (this.inFlight.compareAndSet(current, current + 1)) {
				this.served.incrementAndGet();
				return true;
			}
		}
	}

	/**
	 * Count a request out, once the app is done with it.
	 */
	public void release() {
		if (this.inFlight.decrementAndGet() == 0) {
			synchronized (this.idle) {
				this.idle.notifyAll();
			}
		}
	}

	/**
	 * Register how to answer a request in flight if the context is given up; it runs at once
	 * if the context was given up already.
	 * @param action answers the request in the app's place and ends it; may run more than once
	 */
	public void onAbandon(Runnable action) {
		this.abandonActions.add(action);
		if (this.abandoned) {
			action.run();
		}
	}

	/**
	 * Forget an action registered by {@link #onAbandon(Runnable)}, once its request is done.
	 * @param action the action
	 */
	public void forget(Runnable action) {
		this.abandonActions.remove(action);
	}

	/**
	 * The thread that enters the context: what is handed to the event loop goes through it,
	 * in order. Once the context is closed or given up, what is handed to it is dropped.
	 * @return the feeder
	 */
	public Executor feeder() {
		return (task) -> {
			try {
				this.feeder.execute(task);
			}
			catch (RejectedExecutionException ex) {
				// Closed or given up: nothing reaches this context's Python any more.
			}
		};
	}

	/**
	 * The context, to be entered on the {@link #feeder()} only.
	 * @return the context
	 */
	public PythonContext python() {
		return this.context;
	}

	int index() {
		return this.index;
	}

	int generation() {
		return this.generation;
	}

	int inFlight() {
		return this.inFlight.get();
	}

	/**
	 * How many requests this context has taken.
	 * @return the count
	 */
	int served() {
		return this.served.get();
	}

	/**
	 * Mark the context as one to retire.
	 * @return {@code true} the first time only
	 */
	boolean startRetiring() {
		return this.retiring.compareAndSet(false, true);
	}

	boolean isReady() {
		return this.context != null && !this.closing;
	}

	/**
	 * Give the context up without waiting for it: refuse new requests, answer those in
	 * flight in the app's place, and cancel it {@linkplain PythonContext#cancelInBackground in
	 * the background}.
	 * @param why what went wrong, for the log
	 */
	synchronized void abandon(String why) {
		if (this.abandoned) {
			return;
		}
		this.closing = true;
		this.abandoned = true;
		logger.warn("Python app '{}': context {} is given up, {}; {} request(s) in flight are answered in its place",
				this.appName, this.index, why, this.inFlight.get());
		this.abandonActions.forEach(Runnable::run);
		this.feeder.shutdownNow();
		PythonContext current = this.context;
		this.context = null;
		if (current != null) {
			current.cancelInBackground("python-" + this.appName + "-" + this.index + "-abandoned");
		}
	}

	/**
	 * Refuse new requests, let those in flight finish, run the lifespan's shutdown, then close
	 * the context, all within {@code grace}; give it up if that is not enough.
	 */
	void close(Duration grace) {
		this.closing = true;
		long deadline = System.nanoTime() + grace.toNanos();
		synchronized (this.idle) {
			while (this.inFlight.get() > 0 && System.nanoTime() < deadline) {
				try {
					this.idle.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					break;
				}
			}
		}
		if (this.abandoned) {
			return;
		}
		if (this.inFlight.get() > 0) {
			abandon(this.inFlight.get() + " request(s) still in flight after " + grace);
			return;
		}
		PythonContext current = this.context;
		if (current == null) {
			// Never started, or failed to: a start still running sees closing and gives up.
			this.feeder.shutdownNow();
			return;
		}
		this.feeder.execute(() -> shutDown(current));
		this.feeder.shutdown();
		if (!awaitFeeder(deadline)) {
			abandon("it did not close within " + grace);
			return;
		}
		this.context = null;
		// Closing waits for the context's threads, which may be stuck: not past the deadline.
		Thread closer = Thread.ofPlatform()
			.name("python-" + this.appName + "-" + this.index + "-close")
			.daemon()
			.start(current::close);
		try {
			closer.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private boolean awaitFeeder(long deadline) {
		try {
			return this.feeder.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private void shutDown(PythonContext current) {
		try {
			this.lifespan.shutdown(current, this.index);
		}
		catch (RuntimeException ex) {
			logger.warn("Python app '{}': context {} did not shut down cleanly", this.appName, this.index, ex);
		}
	}

}
