package io.springwsgi.core.pool;

import java.time.Duration;
import java.util.Objects;

/**
 * The shape of an app's context pool.
 *
 * @param size contexts, that is Python requests running in parallel
 * @param acquireTimeout how long a request waits for a free context before it is refused
 * @param maxWaiting how many requests may wait for a context at once; more are refused at once
 * @param maxRequestsPerContext requests after which a context is replaced by a fresh one, or
 * 0 to keep contexts for ever
 */
public record PoolConfig(int size, Duration acquireTimeout, int maxWaiting, int maxRequestsPerContext) {

	public PoolConfig {
		if (size < 1) {
			throw new IllegalArgumentException("pool size must be at least 1, was " + size);
		}
		Objects.requireNonNull(acquireTimeout, "acquireTimeout");
		if (maxWaiting < 0) {
			throw new IllegalArgumentException("maxWaiting must not be negative, was " + maxWaiting);
		}
	}

	/**
	 * A pool of a given size with the defaults: 5 s to acquire, up to 100 waiting requests,
	 * contexts kept for ever.
	 * @param size the number of contexts
	 * @return the configuration
	 */
	public static PoolConfig ofSize(int size) {
		return new PoolConfig(size, Duration.ofSeconds(5), 100, 0);
	}

	public PoolConfig withAcquireTimeout(Duration timeout) {
		return new PoolConfig(this.size, timeout, this.maxWaiting, this.maxRequestsPerContext);
	}

	public PoolConfig withMaxWaiting(int waiting) {
		return new PoolConfig(this.size, this.acquireTimeout, waiting, this.maxRequestsPerContext);
	}

	public PoolConfig withMaxRequestsPerContext(int requests) {
		return new PoolConfig(this.size, this.acquireTimeout, this.maxWaiting, requests);
	}

}
