package io.springwsgi.core.pool;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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
 */
public final class EventLoopContext {

	private static final Logger logger = LoggerFactory.getLogger(EventLoopContext.class);

	private static final long THREAD_STACK_SIZE = 16 * 1024 * 1024;

	private final String appName;

	private final int index;

	private final SharedContextPool.Lifespan lifespan;

	private final ExecutorService feeder;

	private final AtomicInteger inFlight = new AtomicInteger();

	private final Object idle = new Object();

	private volatile PythonContext context;

	private volatile boolean closing;

	EventLoopContext(String appName, int index, SharedContextPool.Lifespan lifespan) {
		this.appName = appName;
		this.index = index;
		this.lifespan = lifespan;
		this.feeder = Executors.newSingleThreadExecutor(Thread.ofPlatform()
			.name("python-" + appName + "-" + index)
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
			PythonContext created = factory.create(1);
			try {
				this.lifespan.startup(created, this.index);
			}
			catch (RuntimeException ex) {
				created.close();
				throw ex;
			}
			this.context = created;
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
	 * The thread that enters the context: what is handed to the event loop goes through it,
	 * in order.
	 * @return the feeder
	 */
	public Executor feeder() {
		return this.feeder;
	}

	/**
	 * The context, to be entered on the {@link #feeder()} only.
	 * @return the context
	 */
	public PythonContext python() {
		return this.context;
	}

	int inFlight() {
		return this.inFlight.get();
	}

	boolean isReady() {
		return this.context != null && !this.closing;
	}

	/**
	 * Refuse new requests, let those in flight finish within {@code grace}, run the lifespan's
	 * shutdown, then close the context.
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
		if (this.inFlight.get() > 0) {
			logger.warn("Python app '{}': {} request(s) still in flight in context {} after {}; closing it anyway",
					this.appName, this.inFlight.get(), this.index, grace);
		}
		PythonContext current = this.context;
		if (current != null && !this.feeder.isShutdown()) {
			this.feeder.execute(() -> shutDown(current));
		}
		this.feeder.shutdown();
		try {
			if (!this.feeder.awaitTermination(this.lifespan.timeout().toMillis() + 5000, TimeUnit.MILLISECONDS)) {
				this.feeder.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (current != null) {
			current.close();
		}
		this.context = null;
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
