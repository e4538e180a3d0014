package io.springwsgi.sample.api;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

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

	/**
	 * The body's fields; a body that is not UTF-8 (RFC 8259 section 8.1), is not JSON or is
	 * not an object is a 400. The bytes are decoded strictly: a lenient decoder would turn
	 * invalid bytes inside a string into U+FFFD and accept the request.
	 */
	static JsonFields parse(JsonMapper mapper, byte[] body) {
		JsonNode node;
		try {
			node = (body != null) ? mapper.readTree(utf8(body)) : null;
		}
		catch (JacksonException ex) {
			throw new InvalidRequestException("the request body is not valid JSON", null);
		}
		if (node == null || !node.isObject()) {
			throw new InvalidRequestException("the request body must be a JSON object", null);
		}
		return new JsonFields(node);
	}

	private static String utf8(byte[] body) {
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(body))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new InvalidRequestException("the request body is not valid UTF-8", null);
		}
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
