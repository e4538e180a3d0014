package io.springwsgi.sample.api;

/**
 * The request body is not JSON, not an object, or has a field of the wrong type.
 */
class InvalidRequestException extends RuntimeException {

	private final String field;

	InvalidRequestException(String message, String field) {
		super(message);
		this.field = field;
	}

	String getField() {
		return this.field;
	}

}
