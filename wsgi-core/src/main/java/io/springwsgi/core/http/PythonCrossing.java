package io.springwsgi.core.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.graalvm.polyglot.Value;

/**
 * How response data crosses from the Python half of a bridge ({@code _springwsgi.wsgi},
 * {@code _springwsgi.asgi}) into Java, the same for both protocols: bytes through the
 * buffer of a Python {@code bytes} object, header lists as one string.
 */
public final class PythonCrossing {

	/**
	 * Between header names and values on the way out of Python ({@code _springwsgi.headers}):
	 * no latin-1 string holds it, so no value splits into two headers whatever it contains.
	 */
	public static final char HEADER_SEPARATOR = '\uffff';

	private PythonCrossing() {
	}

	/**
	 * The bytes of a Python {@code bytes} object, read through its buffer: the fast way out
	 * of Python.
	 * @param bytes a Python {@code bytes} object
	 * @return a copy of its bytes
	 */
	public static byte[] bytes(Value bytes) {
		byte[] chunk = new byte[Math.toIntExact(bytes.getBufferSize())];
		bytes.readBuffer(0, chunk, 0, chunk.length);
		return chunk;
	}

	/**
	 * Header names and values from the form the Python side sends them in: one string, a
	 * single crossing, where a list would cost one per element.
	 * @param headers names and values, alternating, separated by {@link #HEADER_SEPARATOR}
	 * @return the header fields, in order
	 */
	public static List<Map.Entry<String, String>> headers(String headers) {
		List<Map.Entry<String, String>> parsed = new ArrayList<>();
		if (headers.isEmpty()) {
			return parsed;
		}
		int start = 0;
		while (start <= headers.length()) {
			int nameEnd = headers.indexOf(HEADER_SEPARATOR, start);
			int valueEnd = headers.indexOf(HEADER_SEPARATOR, nameEnd + 1);
			if (valueEnd < 0) {
				valueEnd = headers.length();
			}
			parsed.add(Map.entry(headers.substring(start, nameEnd), headers.substring(nameEnd + 1, valueEnd)));
			start = valueEnd + 1;
		}
		return parsed;
	}

}
