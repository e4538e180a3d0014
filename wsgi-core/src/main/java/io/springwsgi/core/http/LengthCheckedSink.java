package io.springwsgi.core.http;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;

/**
 * A {@link WindowedResponseSink} that holds an app's response body to the {@code Content-Length}
 * its headers declare. The client reads exactly that many bytes as the body (RFC 9112 §6.3), so
 * what goes past it would be read as the start of the next response on a kept-alive connection:
 * it is dropped, with a warning. A body that ends short would leave the client waiting for the
 * rest: the connection is aborted, the only way to tell the client. Used by one response, on one
 * thread at a time. (WSGI's bridge applies the same rule in Python, where it can stop asking the
 * app's iterable for more.)
 */
public final class LengthCheckedSink implements WindowedResponseSink {

	private static final long NONE = -1;

	private final WindowedResponseSink sink;

	private final boolean discardBody;

	private final String appName;

	private final Logger logger;

	private long declared = NONE;

	private long sent;

	private long dropped;

	/**
	 * Check the responses sent to a sink.
	 * @param sink where the checked response goes
	 * @param discardBody whether the body is dropped, as for {@code HEAD}, where the length is
	 * that of the body a {@code GET} would have had: then nothing is checked
	 * @param appName the app, for the log
	 * @param logger where short and long bodies are told
	 */
	public LengthCheckedSink(WindowedResponseSink sink, boolean discardBody, String appName, Logger logger) {
		this.sink = sink;
		this.discardBody = discardBody;
		this.appName = appName;
		this.logger = logger;
	}

	@Override
	public void start(int status, String reason, List<Map.Entry<String, String>> headers) {
		this.declared = declaredLength(status, headers);
		this.sink.start(status, reason, headers);
	}

	@Override
	public void route(String template) {
		this.sink.route(template);
	}

	@Override
	public void write(byte[] chunk) throws IOException {
		byte[] admitted = admit(chunk);
		if (admitted.length > 0) {
			this.sink.write(admitted);
		}
	}

	@Override
	public boolean fallenBehind(Runnable resume) {
		return this.sink.fallenBehind(resume);
	}

	@Override
	public void complete() {
		if (isShort()) {
			abortShort();
			return;
		}
		this.sink.complete();
		warnOfDroppedBytes();
	}

	@Override
	public void respond(int status, String reason, List<Map.Entry<String, String>> headers, byte[] body) {
		this.declared = declaredLength(status, headers);
		byte[] admitted = admit(body);
		if (!isShort()) {
			this.sink.respond(status, reason, headers, admitted);
			warnOfDroppedBytes();
			return;
		}
		this.sink.start(status, reason, headers);
		try {
			this.sink.write(admitted);
			abortShort();
		}
		catch (IOException ex) {
			this.sink.abort(ex);
		}
	}

	@Override
	public void abort(Throwable cause) {
		this.sink.abort(cause);
	}

	/**
	 * The length the headers declare, if the body is held to it: none for {@code HEAD}, 1xx,
	 * 204, 304 and a response without {@code Content-Length}. The headers were checked to hold
	 * at most one length, of digits.
	 */
	private long declaredLength(int status, List<Map.Entry<String, String>> headers) {
		if (this.discardBody || status < 200 || status == 204 || status == 304) {
			return NONE;
		}
		for (Map.Entry<String, String> header : headers) {
			if (header.getKey().equalsIgnoreCase("Content-Length")) {
				return parse(header.getValue());
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

	/** The chunk, or the part of it that the declared length admits: the rest is dropped. */
	private byte[] admit(byte[] chunk) {
		if (this.declared == NONE) {
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

	private boolean isShort() {
		return this.declared != NONE && this.sent < this.declared;
	}

	private void abortShort() {
		String what = this.sent + " of the " + this.declared + " bytes its Content-Length declared";
		this.logger.error("App '{}' sent {}; the connection is closed (RFC 9112 §6.3)", this.appName, what);
		this.sink.abort(new IllegalStateException("app '" + this.appName + "' sent " + what));
	}

	private void warnOfDroppedBytes() {
		if (this.dropped > 0) {
			this.logger.warn("App '{}' sent {} bytes past its Content-Length; they were dropped (RFC 9112 §6.3)",
					this.appName, this.dropped);
		}
	}

}
