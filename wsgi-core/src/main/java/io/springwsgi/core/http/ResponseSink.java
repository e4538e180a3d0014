package io.springwsgi.core.http;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Where a WSGI response goes: the HTTP server's side of the bridge. Calls arrive on the
 * thread that runs the Python app, in this order: {@link #start} once, {@link #write} any
 * number of times, then {@link #complete} or {@link #abort}.
 */
public interface ResponseSink {

	/**
	 * The status and headers, sent before the first body bytes.
	 * @param status the status code
	 * @param reason the reason phrase
	 * @param headers the header fields, in order
	 */
	void start(int status, String reason, List<Map.Entry<String, String>> headers);

	/**
	 * A chunk of the body. May block until the client has taken earlier chunks, which is how
	 * a slow client slows the app down rather than filling the heap.
	 * @param chunk the bytes, owned by the sink from now on
	 * @throws IOException if the client has gone away
	 */
	void write(byte[] chunk) throws IOException;

	/**
	 * The response is complete.
	 */
	void complete();

	/**
	 * For a sender that must not block, such as an ASGI event loop: whether the client has
	 * fallen so far behind that the sender should stop writing until {@code resume} runs. A
	 * sink whose {@link #write} blocks never falls behind.
	 * @param resume what to run, once and from any thread, when the client has caught up;
	 * kept only when this returns {@code true}
	 * @return whether to wait for {@code resume} before the next write
	 */
	default boolean fallenBehind(Runnable resume) {
		return false;
	}

	/**
	 * A whole response at once, called instead of the other methods: for the bridge's own
	 * error responses, possibly on a timer thread, and for an app's response whose body came
	 * whole. It should not block.
	 * @param status the status code
	 * @param reason the reason phrase
	 * @param headers the header fields
	 * @param body the whole body
	 */
	default void respond(int status, String reason, List<Map.Entry<String, String>> headers, byte[] body) {
		start(status, reason, headers);
		try {
			write(body);
			complete();
		}
		catch (IOException ex) {
			abort(ex);
		}
	}

	/**
	 * The response cannot be completed after {@link #start}; the connection should be closed
	 * so the client does not take a truncated body for a whole one.
	 * @param cause why
	 */
	void abort(Throwable cause);

}
