package io.springwsgi.core.pool;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import io.springwsgi.core.python.PythonContext;
import io.springwsgi.core.python.PythonContextFactory;
import org.graalvm.polyglot.PolyglotException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed number of contexts of one app, each owned by a thread of its own ("slot"), so a
 * context only ever runs on one thread and Python code never blocks the caller's thread.
 *
 * <p>A request acquires a free slot, or waits for one up to the acquire timeout; no more
 * than {@link PoolConfig#maxWaiting()} requests wait at once. A context that was cancelled or
 * failed beyond Python's reach, or that reached its request limit, is closed and replaced on
 * its slot before the slot takes the next request.
 */
public final class ExclusiveContextPool implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ExclusiveContextPool.class);

	private static final long THREAD_STACK_SIZE = 16 * 1024 * 1024;

	private final PythonContextFactory factory;

	private final PoolConfig config;

	private final String appName;

	private final List<Slot> slots = new ArrayList<>();

	private final ReentrantLock lock = new ReentrantLock();

	private final ArrayDeque<Slot> idle = new ArrayDeque<>();

	private final ArrayDeque<Waiter<?>> waiters = new ArrayDeque<>();

	private final ScheduledExecutorService timer;

	private final AtomicInteger active = new AtomicInteger();

	private final AtomicInteger replaced = new AtomicInteger();

	private volatile boolean closed;

	private volatile long startedAt = System.nanoTime();

	/**
	 * Create a pool; no context exists until {@link #start()}.
	 * @param factory creates the app's contexts
	 * @param config the pool's shape
	 */
	public ExclusiveContextPool(PythonContextFactory factory, PoolConfig config) {
		this.factory = factory;
		this.config = config;
		this.appName = factory.app().name();
		ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
				Thread.ofPlatform().name("python-" + this.appName + "-timer").daemon().factory());
		// Every request schedules its watchdog and cancels it when done: left in the queue, the
		// cancelled ones pile up for a whole request timeout (600k at 10k req/s and 60 s).
		timer.setRemoveOnCancelPolicy(true);
		this.timer = timer;
		for (int i = 0; i < config.size(); i++) {
			this.slots.add(new Slot(i));
		}
	}

	/**
	 * Create every context: the first alone, so the others find its code already parsed in
	 * the shared engine, then the others in parallel.
	 * @throws AppLoadException if the app cannot be loaded
	 */
	public void start() {
		join(startFirst());
		join(startOthers());
	}

	/**
	 * Create the first context in the background. It takes requests as soon as it is loaded;
	 * requests that arrive before wait for it as they wait for a busy pool, up to the acquire
	 * timeout.
	 * @return completes when the first context is ready, or exceptionally with
	 * {@link AppLoadException} if the app cannot be loaded
	 */
	public CompletableFuture<Void> startFirst() {
		this.startedAt = System.nanoTime();
		return this.slots.get(0).create();
	}

	/**
	 * Create the other contexts in the background, in parallel; call it once the first is
	 * ready, so they find its code already parsed in the shared engine. Each takes requests
	 * as soon as it is loaded.
	 * @return completes when every context is ready
	 */
	public CompletableFuture<Void> startOthers() {
		List<CompletableFuture<Void>> others = new ArrayList<>();
		for (Slot slot : this.slots.subList(1, this.slots.size())) {
			others.add(slot.create());
		}
		return CompletableFuture.allOf(others.toArray(CompletableFuture[]::new))
			.thenRun(() -> logger.info(
					"Python app {}: {} context(s) ready in {} ms; a request waits at most {} for one, {} may wait",
					this.factory.app(), this.config.size(), (System.nanoTime() - this.startedAt) / 1_000_000,
					this.config.acquireTimeout(), this.config.maxWaiting()));
	}

	/**
	 * Run a task on a free context.
	 * @param <T> the task's result
	 * @param task the task
	 * @param timeout how long the task may run before its context is cancelled, or
	 * {@code null} for no limit
	 * @return the task's result; completes exceptionally with {@link PoolExhaustedException}
	 * when no context became free in time, with {@link RequestTimeoutException} when the task
	 * ran past {@code timeout}, or with the task's own failure
	 */
	public <T> CompletableFuture<T> submit(ContextTask<T> task, Duration timeout) {
		Waiter<T> waiter = new Waiter<>(task, timeout);
		Slot slot;
		this.lock.lock();
		try {
			if (this.closed) {
				waiter.result.completeExceptionally(shuttingDown());
				return waiter.result;
			}
			slot = this.idle.poll();
			if (slot == null) {
				if (this.waiters.size() >= this.config.maxWaiting()) {
					waiter.result.completeExceptionally(exhausted(this.waiters.size() + " requests already wait"));
					return waiter.result;
				}
				this.waiters.add(waiter);
				waiter.expiry = this.timer.schedule(() -> expire(waiter), this.config.acquireTimeout().toNanos(),
						TimeUnit.NANOSECONDS);
				return waiter.result;
			}
		}
		finally {
			this.lock.unlock();
		}
		waiter.claim();
		slot.run(waiter);
		return waiter.result;
	}

	/**
	 * Run a task on one given context, as soon as it is free: for work that must reach each
	 * context, such as warm-up requests. A context runs such a task before the requests that
	 * wait for any context, one task at a time, so it holds those up by one task at most.
	 * @param <T> the task's result
	 * @param index which context, from 0 to {@link #size()} - 1
	 * @param task the task
	 * @param timeout how long the task may run before its context is cancelled, or
	 * {@code null} for no limit
	 * @return the task's result, as {@link #submit} completes it; waits without limit for
	 * the context, unless the pool closes
	 */
	public <T> CompletableFuture<T> submitTo(int index, ContextTask<T> task, Duration timeout) {
		Slot slot = this.slots.get(index);
		Waiter<T> waiter = new Waiter<>(task, timeout);
		this.lock.lock();
		try {
			if (this.closed) {
				waiter.result.completeExceptionally(shuttingDown());
				return waiter.result;
			}
			if (!this.idle.remove(slot)) {
				slot.pinned.add(waiter);
				return waiter.result;
			}
		}
		finally {
			this.lock.unlock();
		}
		waiter.claim();
		slot.run(waiter);
		return waiter.result;
	}

	private void expire(Waiter<?> waiter) {
		this.lock.lock();
		try {
			if (!this.waiters.remove(waiter)) {
				return;
			}
		}
		finally {
			this.lock.unlock();
		}
		if (waiter.claim()) {
			waiter.result.completeExceptionally(exhausted("none became free within " + this.config.acquireTimeout()));
		}
	}

	private PoolExhaustedException exhausted(String why) {
		return new PoolExhaustedException("no Python context of app '" + this.appName + "' is free (pool size "
				+ this.config.size() + ", " + why + "); raise the app's pool size or acquire timeout, or shed load",
				this.config.acquireTimeout());
	}

	private PoolExhaustedException shuttingDown() {
		return new PoolExhaustedException("Python app '" + this.appName + "' is shutting down", Duration.ofSeconds(1));
	}

	private void release(Slot slot) {
		Waiter<?> next;
		this.lock.lock();
		try {
			if (this.closed) {
				return;
			}
			next = slot.pinned.poll();
			if (next != null) {
				next.claim();
			}
			else {
				do {
					next = this.waiters.poll();
				}
				while (next != null && !next.claim());
			}
			if (next == null) {
				this.idle.push(slot);
				return;
			}
		}
		finally {
			this.lock.unlock();
		}
		slot.run(next);
	}

	/**
	 * The number of contexts.
	 * @return the pool size
	 */
	public int size() {
		return this.config.size();
	}

	/**
	 * Contexts running a request now.
	 * @return the count
	 */
	public int active() {
		return this.active.get();
	}

	/**
	 * Requests waiting for a context now.
	 * @return the count
	 */
	public int waiting() {
		this.lock.lock();
		try {
			return this.waiters.size();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Contexts loaded and able to take a request; fewer than {@link #size()} when a context
	 * could not be replaced.
	 * @return the count
	 */
	public int ready() {
		int ready = 0;
		for (Slot slot : this.slots) {
			if (slot.context != null) {
				ready++;
			}
		}
		return ready;
	}

	/**
	 * Contexts closed and created anew since start.
	 * @return the count
	 */
	public int replacedContexts() {
		return this.replaced.get();
	}

	/**
	 * The pool's configuration.
	 * @return the configuration
	 */
	public PoolConfig config() {
		return this.config;
	}

	/**
	 * Refuse new requests, let running and waiting ones finish, then close every context.
	 * @param grace how long to wait for running requests
	 */
	public void close(Duration grace) {
		List<Waiter<?>> refused = new ArrayList<>();
		this.lock.lock();
		try {
			this.closed = true;
			refused.addAll(this.waiters);
			this.waiters.clear();
			for (Slot slot : this.slots) {
				refused.addAll(slot.pinned);
				slot.pinned.clear();
			}
		}
		finally {
			this.lock.unlock();
		}
		for (Waiter<?> waiter : refused) {
			if (waiter.claim()) {
				waiter.result.completeExceptionally(shuttingDown());
			}
		}
		for (Slot slot : this.slots) {
			slot.executor.execute(slot::closeContext);
			slot.executor.shutdown();
		}
		long deadline = System.nanoTime() + grace.toNanos();
		for (Slot slot : this.slots) {
			try {
				if (!slot.executor.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
					logger.warn("Python app '{}': a request still runs after {}; cancelling it", this.appName, grace);
					slot.cancel();
					slot.executor.shutdownNow();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				slot.cancel();
			}
		}
		this.timer.shutdownNow();
	}

	@Override
	public void close() {
		close(Duration.ofSeconds(30));
	}

	private static void join(CompletableFuture<Void> future) {
		try {
			future.join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw ex;
		}
	}

	/**
	 * Work done with a context.
	 * @param <T> the result
	 */
	@FunctionalInterface
	public interface ContextTask<T> {

		/**
		 * Do the work; the context is this thread's alone until this returns.
		 * @param context the context
		 * @return the result
		 * @throws Exception on failure
		 */
		T run(PythonContext context) throws Exception;

	}

	private static final class Waiter<T> {

		final ContextTask<T> task;

		final Duration timeout;

		final CompletableFuture<T> result = new CompletableFuture<>();

		final AtomicBoolean claimed = new AtomicBoolean();

		volatile ScheduledFuture<?> expiry;

		Waiter(ContextTask<T> task, Duration timeout) {
			this.task = task;
			this.timeout = timeout;
		}

		boolean claim() {
			if (!this.claimed.compareAndSet(false, true)) {
				return false;
			}
			ScheduledFuture<?> scheduled = this.expiry;
			if (scheduled != null) {
				scheduled.cancel(false);
			}
			return true;
		}

	}

	private final class Slot {

		final int index;

		final ExecutorService executor;

		/** Tasks for this slot's context alone, guarded by the pool's lock. */
		final ArrayDeque<Waiter<?>> pinned = new ArrayDeque<>();

		volatile PythonContext context;

		int generation;

		Slot(int index) {
			this.index = index;
			this.executor = Executors.newSingleThreadExecutor(Thread.ofPlatform()
				.name("python-" + ExclusiveContextPool.this.appName + "-" + index)
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
				release(this);
			}, this.executor);
		}

		private PythonContext createContext() {
			this.generation++;
			this.context = ExclusiveContextPool.this.factory.create(this.generation);
			return this.context;
		}

		<T> void run(Waiter<T> waiter) {
			this.executor.execute(() -> execute(waiter));
		}

		private <T> void execute(Waiter<T> waiter) {
			ExclusiveContextPool.this.active.incrementAndGet();
			ScheduledFuture<?> watchdog = null;
			try {
				PythonContext current = (this.context != null) ? this.context : createContext();
				current.countRequest();
				if (waiter.timeout != null) {
					watchdog = ExclusiveContextPool.this.timer.schedule(() -> timeOut(waiter, current),
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
				ExclusiveContextPool.this.active.decrementAndGet();
				renewIfNeeded();
				release(this);
			}
		}

		/**
		 * Fail the request at its deadline, then cancel its context. The caller learns of the
		 * timeout at once even though cancelling waits until Python stops, which GraalPy 25.0
		 * cannot force inside {@code time.sleep(<float>)}; the cancel runs off the timer so
		 * acquire timeouts still fire meanwhile.
		 */
		private void timeOut(Waiter<?> waiter, PythonContext current) {
			waiter.result.completeExceptionally(new RequestTimeoutException("Python app '" + ExclusiveContextPool.this.appName
					+ "' did not answer within " + waiter.timeout + "; its context is cancelled and replaced", null));
			Thread.ofPlatform()
				.name("python-" + ExclusiveContextPool.this.appName + "-cancel-" + this.index)
				.daemon()
				.start(current::cancel);
		}

		private void renewIfNeeded() {
			PythonContext current = this.context;
			if (current == null) {
				return;
			}
			int limit = ExclusiveContextPool.this.config.maxRequestsPerContext();
			boolean exhausted = limit > 0 && current.requests() >= limit;
			if (!current.isBroken() && !exhausted) {
				return;
			}
			current.close();
			this.context = null;
			ExclusiveContextPool.this.replaced.incrementAndGet();
			try {
				createContext();
				logger.info("Python app '{}': context {} replaced ({})", ExclusiveContextPool.this.appName, this.index,
						exhausted ? "served " + limit + " requests" : "it was cancelled or failed");
			}
			catch (RuntimeException ex) {
				logger.error("Python app '{}': context {} could not be replaced; the next request on it retries",
						ExclusiveContextPool.this.appName, this.index, ex);
			}
		}

		void cancel() {
			PythonContext current = this.context;
			if (current != null) {
				current.cancel();
			}
		}

		void closeContext() {
			PythonContext current = this.context;
			this.context = null;
			if (current != null) {
				current.close();
			}
		}

	}

}
