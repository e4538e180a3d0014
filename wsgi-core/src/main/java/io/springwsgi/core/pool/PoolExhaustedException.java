package io.springwsgi.core.pool;

import java.time.Duration;

/**
 * No context of an app's pool became free in time.
 */
public class PoolExhaustedException extends RuntimeException {

	private final Duration retryAfter;

	public PoolExhaustedException(String message, Duration retryAfter) {
		super(message);
		this.retryAfter = retryAfter;
	}

	/**
	 * A fair time for the client to wait before it tries again.
	 * @return the time
	 */
	public Duration getRetryAfter() {
		return this.retryAfter;
	}

}
