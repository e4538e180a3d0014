package io.springwsgi.core.pool;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.springwsgi.core.python.PythonContext;
import org.graalvm.polyglot.PolyglotException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One place of an {@link ExclusiveContextPool}: a thread of its own, the context that only
 * this thread enters, the watchdog that cancels a request past its timeout, and the renewal of
 * a context that was cancelled, failed beyond Python's reach or reached its request limit. The
 * context is replaced on the slot before the slot takes the next request.
 */
final class ContextSlot {

	private static final Logger logger = LoggerFactory.getLogger(ContextSlot.class);

	private static final long THREAD_STACK_SIZE = 16 * 1024 * 1024;

	private final ExclusiveContextPool pool;


	final int index;

	final ExecutorService executor;

	/** Tasks for this slot's context alone, guarded by the pool's lock. */
	final ArrayDeque<PoolWaiter<?>> pinned = new ArrayDeque<>();

	volatile PythonContext context;

	int generation;

	ContextSlot(ExclusiveContextPool pool, int index) {
		this.pool = pool;
		this.index = index;
		this.executor = Executors.newSingleThreadExecutor(Thread.ofPlatform()
			.name("python-" + this.pool.appName + "-" + index)
			.stackSize(THREAD_STACK_SIZE)
			.daemon()
			.factory());
	}

	/**
	 * Create the slot's context on its thread; once loaded it joins the pool, taking a
	 * waiting request or becoming idle.
	 */
	CompletableFuture<Void> create() {
		return CompletableFuture.runAsync(() -> {
			createContext();
			this.pool.release(this);
		}, this.executor);
	}

	private PythonContext createContext() {
		this.generation++;
		this.context = this.pool.factory.create(this.generation);
		return this.context;
	}

	<T> void run(PoolWaiter<T> waiter) {
		this.executor.execute(() -> execute(waiter));
	}

	private <T> void execute(PoolWaiter<T> waiter) {
		this.pool.active.incrementAndGet();
		ScheduledFuture<?> watchdog = null;
		try {
			PythonContext current = (this.context != null) ? this.context : createContext();
			current.countRequest();
			if (waiter.timeout != null) {
				watchdog = this.pool.timer.schedule(() -> timeOut(waiter, current),
						waiter.timeout.toNanos(), TimeUnit.NANOSECONDS);
			}
			waiter.result.complete(waiter.task.run(current));
		}
		catch (Throwable ex) {
			if (ex instanceof PolyglotException polyglot && this.context != null) {
				this.context.noteFailure(polyglot);
			}
			waiter.result.completeExceptionally(ex);
		}
		finally {
			if (watchdog != null) {
				watchdog.cancel(false);
			}
			this.pool.active.decrementAndGet();
			renewIfNeeded();
			this.pool.release(this);
		}
	}

	/**
	 * Fail the request at its deadline, then cancel its context. The caller learns of the
	 * timeout at once even though cancelling waits until Python stops, which GraalPy 25.0
	 * cannot force inside {@code time.sleep(<float>)}; the cancel runs off the timer so
	 * acquire timeouts still fire meanwhile.
	 */
	private void timeOut(PoolWaiter<?> waiter, PythonContext current) {
		waiter.result.completeExceptionally(new RequestTimeoutException("Python app '" + this.pool.appName
				+ "' did not answer within " + waiter.timeout + "; its context is cancelled and replaced", null));
		Thread.ofPlatform()
			.name("python-" + this.pool.appName + "-cancel-" + this.index)
			.daemon()
			.start(current::cancel);
	}

	private void renewIfNeeded() {
		PythonContext current = this.context;
		if (current == null) {
			return;
		}
		int limit = this.pool.config.maxRequestsPerContext();
		boolean exhausted = limit > 0 && current.requests() >= limit;
		if (!current.isBroken() && !exhausted) {
			return;
		}
		current.close();
		this.context = null;
		this.pool.replaced.incrementAndGet();
		try {
			createContext();
			logger.info("Python app '{}': context {} replaced ({})", this.pool.appName, this.index,
					exhausted ? "served " + limit + " requests" : "it was cancelled or failed");
		}
		catch (RuntimeException ex) {
			logger.error("Python app '{}': context {} could not be replaced; the next request on it retries",
					this.pool.appName, this.index, ex);
		}
	}

	/**
	 * Close the context once its running request, if any, is done; take nothing more.
	 */
	void closeWhenIdle() {
		this.executor.execute(this::closeContext);
		this.executor.shutdown();
	}

	/**
	 * Wait until {@link #closeWhenIdle()} is through, and cancel a request still running at
	 * the deadline.
	 */
	void awaitClosed(long deadline, Duration grace) {
		try {
			if (!this.executor.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
				logger.warn("Python app '{}': a request still runs after {}; cancelling it", this.pool.appName, grace);
				cancel();
				this.executor.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			cancel();
		}
	}

	void cancel() {
		PythonContext current = this.context;
		if (current != null) {
			current.cancel();
		}
	}

	private void closeContext() {
		PythonContext current = this.context;
		this.context = null;
		if (current != null) {
			current.close();
		}
	}

}
