package io.springwsgi.sample.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The error body every mount answers: {@code {"error": ..., "field": ...}}, the field only when
 * one is at fault.
 *
 * @param error what is wrong
 * @param field the request field at fault, or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ApiError(String error, String field) {

	ApiError(String error) {
		this(error, null);
	}

}
