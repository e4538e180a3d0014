package io.springwsgi.core.pool;

/**
 * A request ran past its app's request timeout; its context was cancelled and is replaced.
 */
public class RequestTimeoutException extends RuntimeException {

	public RequestTimeoutException(String message, Throwable cause) {
		super(message, cause);
	}

}
