package io.springwsgi.core.http;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Where a response goes: the HTTP server's side of the bridge, for both protocols. Calls
 * arrive in this order: {@link #start} once, {@link #write} any number of times, then
 * {@link #complete} or {@link #abort}; or {@link #respond} alone. What a sender may expect of
 * {@link #write} is said by the two kinds: a {@link BlockingResponseSink} makes a sender with
 * a thread of its own (WSGI) wait for a slow client, a {@link WindowedResponseSink} never
 * blocks and tells a sender on an event loop (ASGI) when to pause.
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
	 * The route template the request matched, as the app's framework names it
	 * ({@code /items/<int:item_id>}), for keys of metrics and traces that must not grow with the
	 * paths clients send. Called at most once, before {@link #start} or {@link #respond}, and
	 * only for frameworks that expose their match; by default ignored.
	 * @param template the template
	 */
	default void route(String template) {
	}

	/**
	 * A chunk of the body.
	 * @param chunk the bytes, owned by the sink from now on
	 * @throws IOException if the client has gone away
	 */
	void write(byte[] chunk) throws IOException;

	/**
	 * The response is complete.
	 */
	void complete();

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
