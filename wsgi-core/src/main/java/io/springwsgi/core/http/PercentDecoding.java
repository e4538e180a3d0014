package io.springwsgi.core.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;

/**
 * Percent-decoding of a request path (RFC 3986 2.1), into the charset each protocol names:
 * latin-1 for WSGI's {@code PATH_INFO} (PEP 3333, "Unicode Issues"), UTF-8 for ASGI's
 * {@code path}. A {@code %} not followed by two hex digits stays as it is.
 */
public final class PercentDecoding {

	private PercentDecoding() {
	}

	/**
	 * Decode a path.
	 * @param path the path as sent
	 * @param charset what the decoded bytes are read as
	 * @return the decoded path
	 */
	public static String decode(String path, Charset charset) {
		if (path.indexOf('%') < 0) {
			return path;
		}
		byte[] raw = path.getBytes(charset);
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length);
		for (int i = 0; i < raw.length; i++) {
			if (raw[i] == '%' && i + 2 < raw.length) {
				int high = Character.digit(raw[i + 1], 16);
				int low = Character.digit(raw[i + 2], 16);
				if (high >= 0 && low >= 0) {
					bytes.write((high << 4) | low);
					i += 2;
					continue;
				}
			}
			bytes.write(raw[i]);
		}
		return bytes.toString(charset);
	}

}
