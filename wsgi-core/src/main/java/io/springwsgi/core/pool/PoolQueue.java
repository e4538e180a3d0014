package io.springwsgi.core.pool;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where the slots of an {@link ExclusiveContextPool} meet the requests: the idle slots, the
 * requests waiting for any slot, and the tasks pinned to one slot, all under one lock.
 *
 * <p>Hand-rolled rather than a {@code BlockingQueue} of free contexts because the caller is a
 * Netty event loop, which must never block, so acquiring cannot be a {@code poll(timeout)}. A
 * waiter is a future that a slot completes when it becomes free, or the acquire timeout when it
 * fires, whichever {@linkplain PoolWaiter#claim() claims} it first; the deque of waiters is
 * bounded by {@link PoolConfig#maxWaiting()}, and a task pinned to a slot (warm-up) goes ahead of
 * the waiters on that slot alone.
 */
final class PoolQueue {

	private final String appName;

	private final PoolConfig config;

	private final ScheduledExecutorService timer;

	private final ReentrantLock lock = new ReentrantLock();

	private final ArrayDeque<ContextSlot> idle = new ArrayDeque<>();

	private final ArrayDeque<PoolWaiter<?>> waiters = new ArrayDeque<>();

	/** Per slot index, the tasks for that slot alone. */
	private final List<ArrayDeque<PoolWaiter<?>>> pinned = new ArrayList<>();

	private volatile boolean closed;

	PoolQueue(String appName, PoolConfig config, ScheduledExecutorService timer) {
		this.appName = appName;
		this.config = config;
		this.timer = timer;
		for (int i = 0; i < config.size(); i++) {
			this.pinned.add(new ArrayDeque<>());
		}
	}

	/**
	 * Take an idle slot for a waiter, or queue the waiter until one is released or its acquire
	 * timeout fires; a waiter whose result is cancelled meanwhile leaves the queue at once.
	 * @return the slot, claimed for the waiter; {@code null} if the waiter was queued, or
	 * refused (its result then failed with {@link PoolExhaustedException})
	 */
	ContextSlot takeOrWait(PoolWaiter<?> waiter) {
		this.lock.lock();
		try {
			if (this.closed) {
				waiter.result.completeExceptionally(shuttingDown());
				return null;
			}
			ContextSlot slot = this.idle.poll();
			if (slot != null) {
				waiter.claim();
				return slot;
			}
			if (this.waiters.size() >= this.config.maxWaiting()) {
				waiter.result.completeExceptionally(exhausted(this.waiters.size() + " requests already wait"));
				return null;
			}
			this.waiters.add(waiter);
			waiter.expiry = this.timer.schedule(() -> expire(waiter), this.config.acquireTimeout().toNanos(),
					TimeUnit.NANOSECONDS);
		}
		finally {
			this.lock.unlock();
		}
		// A request given up while it waits (its client left) leaves the queue at once.
		waiter.result.whenComplete((result, failure) -> {
			if (failure instanceof CancellationException) {
				withdraw(waiter);
			}
		});
		return null;
	}

	/**
	 * Take one given slot for a waiter if it is idle, or pin the waiter to it until it is
	 * released, ahead of the waiters for any slot.
	 * @return {@code true} if the slot was idle and is now claimed for the waiter; {@code false}
	 * if the waiter was pinned, or refused because the pool closed
	 */
	boolean takeOrPin(ContextSlot slot, PoolWaiter<?> waiter) {
		this.lock.lock();
		try {
			if (this.closed) {
				waiter.result.completeExceptionally(shuttingDown());
				return false;
			}
			if (!this.idle.remove(slot)) {
				this.pinned.get(slot.index).add(waiter);
				return false;
			}
		}
		finally {
			this.lock.unlock();
		}
		waiter.claim();
		return true;
	}

	/**
	 * A slot is free: hand it the next task pinned to it, or the longest waiting request, or
	 * keep it idle.
	 * @return the waiter the slot runs next, already claimed, or {@code null} if it stays
	 * idle, or if the pool has closed
	 */
	PoolWaiter<?> next(ContextSlot slot) {
		this.lock.lock();
		try {
			if (this.closed) {
				return null;
			}
			PoolWaiter<?> next = this.pinned.get(slot.index).poll();
			if (next != null) {
				next.claim();
				return next;
			}
			do {
				next = this.waiters.poll();
			}
			while (next != null && !next.claim());
			if (next == null) {
				this.idle.push(slot);
			}
			return next;
		}
		finally {
			this.lock.unlock();
		}
	}

	private void expire(PoolWaiter<?> waiter) {
		if (withdraw(waiter)) {
			waiter.result.completeExceptionally(exhausted("none became free within " + this.config.acquireTimeout()));
		}
	}

	/** Take a waiter out of the queue, unless a slot took it first. */
	private boolean withdraw(PoolWaiter<?> waiter) {
		this.lock.lock();
		try {
			if (!this.waiters.remove(waiter)) {
				return false;
			}
		}
		finally {
			this.lock.unlock();
		}
		return waiter.claim();
	}

	int waiting() {
		this.lock.lock();
		try {
			return this.waiters.size();
		}
		finally {
			this.lock.unlock();
		}
	}

	boolean isClosed() {
		return this.closed;
	}

	/**
	 * Take nothing more, and fail every task still waiting, pinned or not.
	 * @return {@code false} if the queue was already closed
	 */
	boolean close() {
		List<PoolWaiter<?>> refused = new ArrayList<>();
		this.lock.lock();
		try {
			if (this.closed) {
				return false;
			}
			this.closed = true;
			refused.addAll(this.waiters);
			this.waiters.clear();
			this.pinned.forEach((tasks) -> {
				refused.addAll(tasks);
				tasks.clear();
			});
		}
		finally {
			this.lock.unlock();
		}
		for (PoolWaiter<?> waiter : refused) {
			if (waiter.claim()) {
				waiter.result.completeExceptionally(shuttingDown());
			}
		}
		return true;
	}

	private PoolExhaustedException exhausted(String why) {
		return new PoolExhaustedException("no Python context of app '" + this.appName + "' is free (pool size "
				+ this.config.size() + ", " + why + "); raise the app's pool size or acquire timeout, or shed load",
				this.config.acquireTimeout());
	}

	private PoolExhaustedException shuttingDown() {
		return new PoolExhaustedException("Python app '" + this.appName + "' is shutting down", Duration.ofSeconds(1));
	}

}
