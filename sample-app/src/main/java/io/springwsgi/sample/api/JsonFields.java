package io.springwsgi.sample.api;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A request body's fields with their JSON types checked; whether a value is acceptable (a title's
 * length, an existing post) is the service's call.
 */
final class JsonFields {

	private final JsonNode object;

	private JsonFields(JsonNode object) {
		this.object = object;
	}

	static JsonFields parse(JsonMapper mapper, String body) {
		JsonNode node;
		try {
			node = (body != null) ? mapper.readTree(body) : null;
		}
		catch (JacksonException ex) {
			throw new InvalidRequestException("the request body is not valid JSON", null);
		}
		if (node == null || !node.isObject()) {
			throw new InvalidRequestException("the request body must be a JSON object", null);
		}
		return new JsonFields(node);
	}

	String text(String field) {
		JsonNode value = this.object.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isString()) {
			throw new InvalidRequestException(field + ": must be a string", field);
		}
		return value.asString();
	}

	Long id(String field) {
		JsonNode value = this.object.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isIntegralNumber() || !value.canConvertToLong()) {
			throw new InvalidRequestException(field + ": must be an integer", field);
		}
		return value.asLong();
	}

}
