package io.springwsgi.core.wsgi;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import io.springwsgi.core.http.BlockingResponseSink;
import io.springwsgi.core.http.PythonCrossing;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

/**
 * The Java half of {@code start_response} and of the response body: what the Python side
 * ({@code _springwsgi.wsgi}) has validated against PEP 3333 is passed on to a
 * {@link BlockingResponseSink}.
 */
public final class WsgiResponseChannel {

	private final BlockingResponseSink sink;

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
	public WsgiResponseChannel(BlockingResponseSink sink, boolean discardBody) {
		this.sink = sink;
		this.discardBody = discardBody;
	}

	/**
	 * Send the status and headers.
	 * @param status the status line, {@code 200 OK}, already checked by the Python side
	 * @param headers names and values, alternating, separated by {@link PythonCrossing#HEADER_SEPARATOR}
	 */
	@HostAccess.Export
	public void start(String status, String headers) {
		if (!this.state.compareAndSet(OPEN, STARTED)) {
			return;
		}
		int space = status.indexOf(' ');
		int code = Integer.parseInt(status, 0, space, 10);
		this.sink.start(code, status.substring(space + 1), PythonCrossing.headers(headers));
	}

	/**
	 * Send the whole response at once: status, headers and a body as long as its
	 * {@code Content-Length}, after which nothing more is sent.
	 * @param status the status line, {@code 200 OK}, already checked by the Python side
	 * @param headers names and values, alternating, separated by {@link PythonCrossing#HEADER_SEPARATOR}
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
			this.sink.start(code, reason, PythonCrossing.headers(headers));
			this.sink.complete();
			return true;
		}
		this.sink.respond(code, reason, PythonCrossing.headers(headers), PythonCrossing.bytes(bytes));
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
			this.sink.write(PythonCrossing.bytes(bytes));
			return true;
		}
		catch (IOException ex) {
			this.writeFailure = ex;
			return false;
		}
	}

	/**
	 * The route template the framework matched, when the response starts.
	 * @param template the template
	 */
	@HostAccess.Export
	public void route(String template) {
		this.sink.route(template);
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

}
