package io.springwsgi.core.pool;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.springwsgi.core.python.PythonContext;
import org.graalvm.polyglot.PolyglotException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One place of an {@link ExclusiveContextPool}: a thread of its own, the context that only
 * this thread enters, the watchdog that stops a request past its timeout, and the renewal of
 * a context that was cancelled, failed beyond Python's reach or reached its request limit. The
 * context is replaced on the slot before the slot takes the next request.
 *
 * <p>A request past its timeout is answered at once, then stopped by steps that each wait
 * {@link #CANCEL_GRACE} for the one before: its thread is interrupted, which ends
 * the waits of the bridge (a write to a client that stopped reading) and lets the app return
 * with its context kept; then its context is cancelled; then, since neither reaches a thread
 * parked in Java code, the slot gives up thread and context and carries on with new ones.
 */
final class ContextSlot {

	private static final Logger logger = LoggerFactory.getLogger(ContextSlot.class);

	private static final long THREAD_STACK_SIZE = 16 * 1024 * 1024;

	/**
	 * Wait between the steps that stop a request past its timeout: the time an app has to
	 * unwind once interrupted (close its iterable, format a traceback), whatever the timeout.
	 */
	static final Duration CANCEL_GRACE = Duration.ofSeconds(5);

	private final ExclusiveContextPool pool;

	final int index;

	volatile PythonContext context;

	private volatile ExecutorService executor;

	/** The request running now and its thread, guarded by this slot's monitor. */
	private PoolWaiter<?> running;

	private Thread thread;

	private int threads;

	private int generation;

	ContextSlot(ExclusiveContextPool pool, int index) {
		this.pool = pool;
		this.index = index;
		this.executor = newExecutor();
	}

	private ExecutorService newExecutor() {
		String suffix = (this.threads++ == 0) ? "" : "-" + this.threads;
		return Executors.newSingleThreadExecutor(Thread.ofPlatform()
			.name("python-" + this.pool.appName + "-" + this.index + suffix)
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
		synchronized (this) {
			this.running = waiter;
			this.thread = Thread.currentThread();
		}
		this.pool.active.incrementAndGet();
		ScheduledFuture<?> watchdog = null;
		PythonContext current = null;
		try {
			if (waiter.result.isCancelled()) {
				// Given up between a context taking it and its start.
				return;
			}
			current = (this.context != null) ? this.context : createContext();
			current.countRequest();
			if (waiter.timeout != null) {
				PythonContext timed = current;
				watchdog = this.pool.timer.schedule(() -> timeOut(waiter, timed), waiter.timeout.toNanos(),
						TimeUnit.NANOSECONDS);
			}
			waiter.result.complete(waiter.task.run(current));
		}
		catch (Throwable ex) {
			if (ex instanceof PolyglotException polyglot && current != null) {
				current.noteFailure(polyglot);
			}
			waiter.result.completeExceptionally(ex);
		}
		finally {
			if (watchdog != null) {
				watchdog.cancel(false);
			}
			if (finished(waiter)) {
				// An interrupt meant for this request must not reach the next one.
				Thread.interrupted();
				this.pool.active.decrementAndGet();
				renewIfNeeded();
				this.pool.release(this);
			}
		}
	}

	/**
	 * The request is done with the slot, unless the slot gave it up: then its thread returns
	 * late and touches nothing.
	 */
	private synchronized boolean finished(PoolWaiter<?> waiter) {
		if (this.running != waiter) {
			return false;
		}
		this.running = null;
		this.thread = null;
		return true;
	}

	/**
	 * Fail the request at its deadline and interrupt its thread; the steps after it follow
	 * while the request still runs. The caller learns of the timeout at once whatever Python
	 * does, and the steps run off the timer so acquire timeouts still fire meanwhile.
	 */
	private void timeOut(PoolWaiter<?> waiter, PythonContext current) {
		waiter.result.completeExceptionally(new RequestTimeoutException("Python app '" + this.pool.appName
				+ "' did not answer within " + waiter.timeout + "; the request is interrupted", null));
		synchronized (this) {
			if (this.running != waiter) {
				return;
			}
			this.thread.interrupt();
		}
		after(() -> cancel(waiter, current));
	}

	private void cancel(PoolWaiter<?> waiter, PythonContext current) {
		if (!isRunning(waiter)) {
			return;
		}
		logger.warn("Python app '{}': a request still runs {} after its timeout; cancelling context {}",
				this.pool.appName, CANCEL_GRACE, this.index);
		current.cancelInBackground("python-" + this.pool.appName + "-cancel-" + this.index);
		after(() -> abandon(waiter));
	}

	private synchronized boolean isRunning(PoolWaiter<?> waiter) {
		return this.running == waiter;
	}

	/**
	 * Give up a thread that neither the interrupt nor the cancel reached, and its context, so
	 * the slot serves again; they hold their memory until the thread returns, if ever.
	 */
	private void abandon(PoolWaiter<?> waiter) {
		Thread parked;
		ExecutorService old;
		synchronized (this) {
			if (this.running != waiter || this.pool.isClosed()) {
				return;
			}
			parked = this.thread;
			this.running = null;
			this.thread = null;
			this.context = null;
			old = this.executor;
			this.executor = newExecutor();
		}
		this.pool.active.decrementAndGet();
		this.pool.replaced.incrementAndGet();
		this.pool.abandoned.incrementAndGet();
		logger.warn("Python app '{}': context {} abandoned, its thread still runs {} after the request's timeout"
				+ " and was not stopped by an interrupt or a cancel; a new context takes its place. The thread:{}",
				this.pool.appName, this.index, CANCEL_GRACE.multipliedBy(2), stackOf(parked));
		old.shutdownNow();
		this.executor.execute(() -> {
			try {
				createContext();
			}
			catch (RuntimeException ex) {
				logger.error("Python app '{}': context {} could not be replaced; the next request on it retries",
						this.pool.appName, this.index, ex);
			}
			this.pool.release(this);
		});
	}

	private void after(Runnable step) {
		try {
			this.pool.timer.schedule(step, CANCEL_GRACE.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// The pool closed meanwhile; closing stops what still runs.
		}
	}

	private static String stackOf(Thread thread) {
		StringBuilder stack = new StringBuilder();
		for (StackTraceElement frame : thread.getStackTrace()) {
			stack.append(System.lineSeparator()).append("\tat ").append(frame);
		}
		return stack.toString();
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
		ExecutorService current = this.executor;
		current.execute(this::closeContext);
		current.shutdown();
	}

	/**
	 * Wait until {@link #closeWhenIdle()} is through or the deadline passes. A request still
	 * running then is interrupted and its context cancelled in the background: a thread parked
	 * in Java code would keep a cancel waiting for ever.
	 */
	void awaitClosed(long deadline, Duration grace) {
		try {
			if (this.executor.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
				return;
			}
			logger.warn("Python app '{}': a request still runs after {}; interrupting it and cancelling its context",
					this.pool.appName, grace);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.executor.shutdownNow();
		PythonContext current = this.context;
		this.context = null;
		if (current != null) {
			current.cancelInBackground("python-" + this.pool.appName + "-cancel-" + this.index);
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
