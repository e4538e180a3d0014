package io.springwsgi.core.pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

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
 * <p>The waiter queue ({@code PoolQueue}) is hand-rolled rather than a {@code BlockingQueue} of
 * free contexts because the caller is a Netty event loop, which must never block: a waiter is a
 * future that a slot completes when it becomes free, or the acquire timeout when it fires.
 */
public final class ExclusiveContextPool implements ContextPool {

	private static final Logger logger = LoggerFactory.getLogger(ExclusiveContextPool.class);

	final PythonContextFactory factory;

	final PoolConfig config;

	final String appName;

	private final List<ContextSlot> slots = new ArrayList<>();

	private final PoolQueue queue;

	final ScheduledExecutorService timer;

	final AtomicInteger active = new AtomicInteger();

	final AtomicInteger replaced = new AtomicInteger();

	final AtomicInteger abandoned = new AtomicInteger();

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
		this.queue = new PoolQueue(this.appName, config, timer);
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
		return closeOnFailure(this.slots.get(0).create());
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
		return closeOnFailure(CompletableFuture.allOf(others.toArray(CompletableFuture[]::new)))
			.thenRun(() -> logger.info(
					"Python app {}: {} context(s) ready in {} ms; a request waits at most {} for one, {} may wait",
					this.factory.app(), this.config.size(), (System.nanoTime() - this.startedAt) / 1_000_000,
					this.config.acquireTimeout(), this.config.maxWaiting()));
	}

	/** A pool that fails to start closes the contexts and threads it has created so far. */
	private CompletableFuture<Void> closeOnFailure(CompletableFuture<Void> start) {
		return start.whenComplete((done, failure) -> {
			if (failure != null) {
				close(Duration.ZERO);
			}
		});
	}

	/**
	 * Run a task on a free context.
	 * @param <T> the task's result
	 * @param task the task
	 * @param timeout how long the task may run before its context is cancelled, or
	 * {@code null} for no limit
	 * @return the task's result; completes exceptionally with {@link PoolExhaustedException}
	 * when no context became free in time, with {@link RequestTimeoutException} when the task
	 * ran past {@code timeout}, or with the task's own failure; cancelling it withdraws a task
	 * still waiting for a context, and does not stop one that runs
	 */
	public <T> CompletableFuture<T> submit(ContextTask<T> task, Duration timeout) {
		PoolWaiter<T> waiter = new PoolWaiter<>(task, timeout);
		ContextSlot slot = this.queue.takeOrWait(waiter);
		if (slot != null) {
			slot.run(waiter);
		}
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
		ContextSlot slot = this.slots.get(index);
		PoolWaiter<T> waiter = new PoolWaiter<>(task, timeout);
		if (this.queue.takeOrPin(slot, waiter)) {
			slot.run(waiter);
		}
		return waiter.result;
	}

	void release(ContextSlot slot) {
		PoolWaiter<?> next = this.queue.next(slot);
		if (next != null) {
			slot.run(next);
		}
	}

	/**
	 * The number of contexts.
	 * @return the pool size
	 */
	public int size() {
		return this.config.size();
	}

	@Override
	public List<String> corrections() {
		return this.factory.corrections();
	}

	@Override
	public PoolStatistics statistics() {
		int ready = (int) this.slots.stream().filter((slot) -> slot.context != null).count();
		int waiting = this.queue.waiting();
		return new PoolStatistics(size(), ready, this.active.get(), waiting, this.replaced.get(),
				this.abandoned.get());
	}

	boolean isClosed() {
		return this.queue.isClosed();
	}

	/**
	 * The pool's configuration.
	 * @return the configuration
	 */
	public PoolConfig config() {
		return this.config;
	}

	/**
	 * Refuse new requests, let running ones finish, then close every context; returns by the
	 * deadline, interrupting what still runs then and cancelling its context in the background.
	 * @param grace how long to wait for running requests
	 */
	public void close(Duration grace) {
		if (!this.queue.close()) {
			return;
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
