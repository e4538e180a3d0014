package io.springwsgi.sample.interop;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Component;

/**
 * The business operation behind every mount's {@code /interop}: it receives an HTTP request as a
 * message and answers with a reply that echoes it. The Python apps reach it as
 * {@code spring.beans.echoOperation}, Java's {@code /api} directly.
 */
@Component
public class EchoOperation {

	/**
	 * Answer a request message.
	 * @param message {@code method}, {@code url}, {@code headers} (name to value) and {@code body}
	 * (text)
	 * @return {@code status} 200, the reply's {@code headers} and, as {@code body}, the message
	 * received
	 */
	public Map<String, Object> handle(Map<String, ?> message) {
		Map<String, Object> received = new LinkedHashMap<>();
		received.put("method", text(message.get("method")));
		received.put("url", text(message.get("url")));
		received.put("headers", headers(message.get("headers")));
		received.put("body", text(message.get("body")));
		return Map.of("status", 200, "headers", Map.of("Content-Type", "application/json", "X-Echoed-By",
				getClass().getSimpleName()), "body", received);
	}

	/** Copies out of the message: from Python it is a view of a dict, valid only during the call. */
	private static Map<String, String> headers(Object headers) {
		Map<String, String> copy = new LinkedHashMap<>();
		if (headers instanceof Map<?, ?> map) {
			map.forEach((name, value) -> copy.put(String.valueOf(name), text(value)));
		}
		return copy;
	}

	private static String text(Object value) {
		return (value != null) ? value.toString() : "";
	}

}
