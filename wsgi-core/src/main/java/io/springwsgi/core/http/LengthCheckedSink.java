package io.springwsgi.core.http;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The {@code Content-Length} an app declared for its response, held against the body bytes it
 * sends: the client reads exactly that many bytes as the body (RFC 9112 §6.3), so what goes past
 * it would be read as the start of the next response on a kept-alive connection, and a body that
 * ends short leaves the client waiting for the rest. Used by one response, on one thread at a time.
 */
public final class DeclaredLength {

	/** No length to hold the body to: none declared, or a response without a body. */
	public static final DeclaredLength NONE = new DeclaredLength(-1);

	private final long declared;

	private long sent;

	private long dropped;

	private DeclaredLength(long declared) {
		this.declared = declared;
	}

	/**
	 * The length the headers of a response declare, if its body is held to it.
	 * @param status the status code
	 * @param headers the response headers, already checked to hold at most one length
	 * of digits
	 * @param discardBody whether the body is dropped, as for {@code HEAD}, where the length
	 * is that of the body a {@code GET} would have had
	 * @return the declared length, or {@link #NONE} for {@code HEAD}, 1xx, 204, 304 and a
	 * response without {@code Content-Length}
	 */
	public static DeclaredLength of(int status, List<Map.Entry<String, String>> headers, boolean discardBody) {
		if (discardBody || status < 200 || status == 204 || status == 304) {
			return NONE;
		}
		for (Map.Entry<String, String> header : headers) {
			if (header.getKey().equalsIgnoreCase("Content-Length")) {
				return new DeclaredLength(parse(header.getValue()));
			}
		}
		return NONE;
	}

	private static long parse(String digits) {
		try {
			return Long.parseLong(digits);
		}
		catch (NumberFormatException ex) {
			// Digits past Long.MAX_VALUE: a length no body reaches, so the response ends short.
			return Long.MAX_VALUE;
		}
	}

	/**
	 * Count a chunk of the body as sent, as far as the declared length admits it.
	 * @param chunk a chunk of the body
	 * @return the chunk, or the part of it that the declared length admits: the rest is dropped
	 */
	public byte[] admit(byte[] chunk) {
		if (this.declared < 0) {
			return chunk;
		}
		int admitted = (int) Math.min(chunk.length, this.declared - this.sent);
		this.sent += admitted;
		if (admitted == chunk.length) {
			return chunk;
		}
		this.dropped += chunk.length - admitted;
		return Arrays.copyOf(chunk, admitted);
	}

	/**
	 * How many bytes went past the declared length and were dropped.
	 * @return the number of bytes dropped
	 */
	public long dropped() {
		return this.dropped;
	}

	/**
	 * Whether fewer bytes were sent than declared, so the response cannot end as a whole one.
	 * @return {@code true} if the body is short of its declared length
	 */
	public boolean isShort() {
		return this.declared >= 0 && this.sent < this.declared;
	}

	/**
	 * What was sent against what was declared, for a log line or an abort's message.
	 * @return for example {@code 5 of the 10 bytes its Content-Length declared}
	 */
	public String describe() {
		return this.sent + " of the " + this.declared + " bytes its Content-Length declared";
	}

}
