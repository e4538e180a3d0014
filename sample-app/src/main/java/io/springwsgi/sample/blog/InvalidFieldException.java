package io.springwsgi.sample.blog;

/**
 * A field breaks a rule of the model; every mount answers 400 naming {@link #getField() the field}.
 * The message starts with the field's name and a colon, so Python, which sees only the message,
 * can name the field too.
 */
public class InvalidFieldException extends RuntimeException {

	private final String field;

	InvalidFieldException(String field, String problem) {
		super(field + ": " + problem);
		this.field = field;
	}

	public String getField() {
		return this.field;
	}

}
