package io.springwsgi.core.wsgi;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.springwsgi.core.http.ResponseSink;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

/**
 * The Java half of {@code start_response} and of the response body: what the Python side
 * ({@code _springwsgi.wsgi}) has validated against PEP 3333 is passed on to a
 * {@link ResponseSink}.
 */
public final class WsgiResponseChannel {

	private final ResponseSink sink;

	private final boolean discardBody;

	private static final int OPEN = 0;

	private static final int STARTED = 1;

	private static final int FENCED = 2;

	private final AtomicInteger state = new AtomicInteger(OPEN);

	private IOException writeFailure;

	/**
	 * Create the channel.
	 * @param sink where the response goes
	 * @param discardBody whether body bytes are dropped, as for {@code HEAD}
	 */
	public WsgiResponseChannel(ResponseSink sink, boolean discardBody) {
		this.sink = sink;
		this.discardBody = discardBody;
	}

	/**
	 * Send the status and headers.
	 * @param status the status line, {@code 200 OK}, already checked by the Python side
	 * @param headers names and values, alternating, separated by {@code \n}
	 */
	@HostAccess.Export
	public void start(String status, String headers) {
		if (!this.state.compareAndSet(OPEN, STARTED)) {
			return;
		}
		int space = status.indexOf(' ');
		int code = Integer.parseInt(status, 0, space, 10);
		this.sink.start(code, status.substring(space + 1), parseHeaders(headers));
	}

	/**
	 * Send the whole response at once: status, headers and a body as long as its
	 * {@code Content-Length}, after which nothing more is sent.
	 * @param status the status line, {@code 200 OK}, already checked by the Python side
	 * @param headers names and values, alternating, separated by {@code \n}
	 * @param bytes the whole body, a Python {@code bytes} object
	 * @return {@code false} if the response was taken away from the app (see {@link #fence()})
	 */
	@HostAccess.Export
	public boolean respond(String status, String headers, Value bytes) {
		if (!this.state.compareAndSet(OPEN, STARTED)) {
			return false;
		}
		int space = status.indexOf(' ');
		int code = Integer.parseInt(status, 0, space, 10);
		String reason = status.substring(space + 1);
		if (this.discardBody) {
			this.sink.start(code, reason, parseHeaders(headers));
			this.sink.complete();
			return true;
		}
		this.sink.respond(code, reason, parseHeaders(headers), copy(bytes));
		return true;
	}

	/**
	 * Send a chunk of the body.
	 * @param bytes a Python {@code bytes} object
	 * @return {@code false} if the client has gone away
	 */
	@HostAccess.Export
	public boolean write(Value bytes) {
		if (this.state.get() == FENCED) {
			return false;
		}
		if (this.discardBody) {
			return true;
		}
		try {
			this.sink.write(copy(bytes));
			return true;
		}
		catch (IOException ex) {
			this.writeFailure = ex;
			return false;
		}
	}

	/**
	 * The bytes of a Python {@code bytes} object, read through its buffer: the fast way out
	 * of Python.
	 * @param bytes a Python {@code bytes} object
	 * @return a copy of its bytes
	 */
	public static byte[] copy(Value bytes) {
		byte[] chunk = new byte[Math.toIntExact(bytes.getBufferSize())];
		bytes.readBuffer(0, chunk, 0, chunk.length);
		return chunk;
	}

	/**
	 * The response is complete.
	 */
	@HostAccess.Export
	public void finish() {
		if (this.state.get() == STARTED) {
			this.sink.complete();
		}
	}

	/**
	 * Whether the status and headers have been sent, after which an error can only abort.
	 * @return {@code true} once {@link #start} was called
	 */
	public boolean isStarted() {
		return this.state.get() == STARTED;
	}

	/**
	 * Take the response away from the app, if it has not started it, so the bridge can answer
	 * in its place (504 at a request timeout) while Python may still be running: whatever
	 * the app sends afterwards is dropped, and its next write is told the client is gone.
	 * @return {@code true} if the bridge now owns the response, {@code false} if the app had
	 * already started it
	 */
	public boolean fence() {
		return this.state.compareAndSet(OPEN, FENCED) || this.state.get() == FENCED;
	}

	/**
	 * Why writing to the client failed.
	 * @return the failure, or {@code null}
	 */
	public IOException writeFailure() {
		return this.writeFailure;
	}

	/**
	 * Header names and values from the form the Python side sends them in.
	 * @param headers names and values, alternating, separated by {@code \n}
	 * @return the header fields, in order
	 */
	public static List<Map.Entry<String, String>> parseHeaders(String headers) {
		List<Map.Entry<String, String>> parsed = new ArrayList<>();
		if (headers.isEmpty()) {
			return parsed;
		}
		int start = 0;
		while (start <= headers.length()) {
			int nameEnd = headers.indexOf('\n', start);
			int valueEnd = headers.indexOf('\n', nameEnd + 1);
			if (valueEnd < 0) {
				valueEnd = headers.length();
			}
			parsed.add(Map.entry(headers.substring(start, nameEnd), headers.substring(nameEnd + 1, valueEnd)));
			start = valueEnd + 1;
		}
		return parsed;
	}

}
