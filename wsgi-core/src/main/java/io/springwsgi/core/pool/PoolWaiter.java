package io.springwsgi.core.pool;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A task waiting for a context of an {@link ExclusiveContextPool}, and its result. Whoever
 * claims it first, a context that became free or the acquire timeout, decides its fate.
 *
 * @param <T> the task's result
 */
final class PoolWaiter<T> {

	final ExclusiveContextPool.ContextTask<T> task;

	final Duration timeout;

	final CompletableFuture<T> result = new CompletableFuture<>();

	private final AtomicBoolean claimed = new AtomicBoolean();

	volatile ScheduledFuture<?> expiry;

	PoolWaiter(ExclusiveContextPool.ContextTask<T> task, Duration timeout) {
		this.task = task;
		this.timeout = timeout;
	}

	/**
	 * Take the waiter for a context or for the timeout, whichever comes first.
	 * @return {@code true} for the first caller only
	 */
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
