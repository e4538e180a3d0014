package io.springwsgi.core.pool;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import io.springwsgi.core.python.PythonContext;
import io.springwsgi.core.python.PythonContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exclusive strategy of {@link ContextPool}, for WSGI: a fixed number of contexts of one
 * app, each owned by a thread of its own ({@link ContextSlot}), so a context only ever runs one
 * request, on one thread, and Python code never blocks the caller's thread.
 *
 * <p>A request acquires a free slot, or waits for one up to the acquire timeout; no more
 * than {@link PoolConfig#maxWaiting()} requests wait at once. A context that was cancelled or
 * failed beyond Python's reach, or that reached its request limit, is closed and replaced on
 * its slot before the slot takes the next request.
 *
 * <p>Why the waiter queue is hand-rolled (a lock, a deque of idle slots, a deque of waiters)
 * rather than a {@code BlockingQueue} of free contexts: the caller is a Netty event loop, which
 * must never block, so acquiring cannot be a {@code poll(timeout)}. A waiter is a future that a
 * slot completes when it becomes free, or the acquire timeout when it fires, whichever claims
 * it first; a bounded deque caps how many wait, and work pinned to one slot (warm-up) goes
 * ahead of the others on that slot alone.
 */
public final class ExclusiveContextPool implements ContextPool {

	private static final Logger logger = LoggerFactory.getLogger(ExclusiveContextPool.class);

	final PythonContextFactory factory;

	final PoolConfig config;

	final String appName;

	private final List<ContextSlot> slots = new ArrayList<>();

	private final ReentrantLock lock = new ReentrantLock();

	private final ArrayDeque<ContextSlot> idle = new ArrayDeque<>();

	private final ArrayDeque<PoolWaiter<?>> waiters = new ArrayDeque<>();

	final ScheduledExecutorService timer;

	final AtomicInteger active = new AtomicInteger();

	final AtomicInteger replaced = new AtomicInteger();

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
			this.slots.add(new ContextSlot(this, i));
		}
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
		for (ContextSlot slot : this.slots.subList(1, this.slots.size())) {
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
		PoolWaiter<T> waiter = new PoolWaiter<>(task, timeout);
		ContextSlot slot;
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
		return runNow(slot, waiter);
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
		ContextSlot slot = this.slots.get(index);
		PoolWaiter<T> waiter = new PoolWaiter<>(task, timeout);
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
		return runNow(slot, waiter);
	}

	private <T> CompletableFuture<T> runNow(ContextSlot slot, PoolWaiter<T> waiter) {
		waiter.claim();
		slot.run(waiter);
		return waiter.result;
	}

	private void expire(PoolWaiter<?> waiter) {
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

	void release(ContextSlot slot) {
		PoolWaiter<?> next;
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

	@Override
	public PoolStatistics statistics() {
		int ready = (int) this.slots.stream().filter((slot) -> slot.context != null).count();
		int waiting;
		this.lock.lock();
		try {
			waiting = this.waiters.size();
		}
		finally {
			this.lock.unlock();
		}
		return new PoolStatistics(size(), ready, this.active.get(), waiting, this.replaced.get(), 0);
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
		List<PoolWaiter<?>> refused = new ArrayList<>();
		this.lock.lock();
		try {
			this.closed = true;
			refused.addAll(this.waiters);
			this.waiters.clear();
			for (ContextSlot slot : this.slots) {
				refused.addAll(slot.pinned);
				slot.pinned.clear();
			}
		}
		finally {
			this.lock.unlock();
		}
		for (PoolWaiter<?> waiter : refused) {
			if (waiter.claim()) {
				waiter.result.completeExceptionally(shuttingDown());
			}
		}
		this.slots.forEach(ContextSlot::closeWhenIdle);
		long deadline = System.nanoTime() + grace.toNanos();
		this.slots.forEach((slot) -> slot.awaitClosed(deadline, grace));
		this.timer.shutdownNow();
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

}
