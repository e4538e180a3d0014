package io.springwsgi.core.asgi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.springwsgi.core.http.LengthCheckedSink;
import io.springwsgi.core.http.PlainTextResponse;
import io.springwsgi.core.http.PythonCrossing;
import io.springwsgi.core.http.WindowedResponseSink;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;
import org.slf4j.Logger;

/**
 * The Java half of one ASGI HTTP connection: {@code receive} pulls the request body from here
 * chunk by chunk, {@code send} hands the response here, and here the response goes to a
 * {@link WindowedResponseSink}, held to its Content-Length by a {@link LengthCheckedSink}. The
 * response belongs to whoever starts it first: the app, or the bridge answering in its place
 * (413 for a body over the limit, 504 at the request timeout, 500 when the app fails); what the
 * other sends afterwards is dropped.
 */
public final class AsgiHttpExchange extends AsgiExchange<byte[]> {

	private enum Owner {

		NONE, APP, BRIDGE

	}

	private final WindowedResponseSink sink;

	private final boolean discardBody;

	private final boolean debug;

	private final long maxBodySize;

	private final AtomicReference<Owner> owner = new AtomicReference<>(Owner.NONE);

	private final AtomicBoolean disconnected = new AtomicBoolean();

	/** Completes when the response has an owner, or the app is done without one. */
	private final CompletableFuture<Void> answered = new CompletableFuture<>();

	private long received;

	private volatile boolean completed;

	AsgiHttpExchange(String appName, WindowedResponseSink sink, boolean discardBody, AsgiOptions options, Executor feeder,
			Logger logger) {
		super(appName, feeder, logger);
		this.sink = new LengthCheckedSink(sink, discardBody, appName, logger);
		this.discardBody = discardBody;
		this.debug = options.debug();
		this.maxBodySize = options.maxBodySize();
		done().whenComplete((result, failure) -> this.answered.complete(null));
	}

	/**
	 * Answer 504 and cancel the app's task if the app has not started its response within
	 * {@code timeout}, then run {@code afterCancel}. A response that has started may stream
	 * for as long as it likes.
	 */
	void answerWithin(Duration timeout, ScheduledExecutorService timer, Runnable afterCancel) {
		ScheduledFuture<?> deadline = timer.schedule(() -> timedOut(timeout, afterCancel), timeout.toMillis(),
				TimeUnit.MILLISECONDS);
		this.answered.whenComplete((result, failure) -> deadline.cancel(false));
	}

	private void timedOut(Duration timeout, Runnable afterCancel) {
		if (claim(Owner.BRIDGE)) {
			this.logger.error("504 for a request to app '{}': it did not start its response within {}; its task is "
					+ "cancelled", this.appName, timeout);
			toPython((connection) -> connection.invokeMember("cancel"));
			this.disconnected.set(true);
			cancelClientMessages();
			PlainTextResponse.send(this.sink, 504, "",
					"App '" + this.appName + "' did not start its response within " + timeout + ".", List.of());
			afterCancel.run();
		}
	}

	/**
	 * The context the request runs in was given up: answer 503 in the app's place, or abort
	 * the response the app started, and end the exchange.
	 */
	void abandon() {
		if (claim(Owner.BRIDGE)) {
			this.disconnected.set(true);
			cancelClientMessages();
			PlainTextResponse.send(this.sink, 503, "", "App '" + this.appName + "' was restarted; retry later.",
					List.of(Map.entry("Retry-After", "1")));
		}
		else if (this.owner.get() == Owner.APP && !this.completed && !done().isDone()) {
			this.sink.abort(new IllegalStateException("app '" + this.appName + "' was restarted"));
		}
		finished();
	}

	private boolean claim(Owner claimant) {
		if (this.owner.compareAndSet(Owner.NONE, claimant)) {
			this.answered.complete(null);
			return true;
		}
		return false;
	}

	/**
	 * The client went away: the app's {@code receive} answers {@code http.disconnect} and what
	 * it sends is dropped. Call from any thread, as often as convenient.
	 */
	public void disconnect() {
		if (this.disconnected.compareAndSet(false, true)) {
			cancelClientMessages();
			toPython((connection) -> connection.invokeMember("disconnect"));
		}
	}

	// The request body, from the server ------------------------------------------------------

	@Override
	public void onNext(byte[] chunk) {
		if (this.disconnected.get()) {
			return;
		}
		this.received += chunk.length;
		if (this.maxBodySize >= 0 && this.received > this.maxBodySize) {
			bodyTooLarge();
			return;
		}
		// Bytes cross as a latin-1 string, one char per byte: the cheapest crossing found.
		String data = new String(chunk, StandardCharsets.ISO_8859_1);
		toPython((connection) -> connection.invokeMember("feed", data, true));
	}

	/**
	 * A body without a Content-Length (or with a false one) went past the limit: the app sees
	 * the client disconnect, the client gets 413, or an aborted response if the app had
	 * already started one.
	 */
	private void bodyTooLarge() {
		if (claim(Owner.BRIDGE)) {
			this.logger.warn("413 for a request to app '{}': its body went past the limit of {} bytes", this.appName,
					this.maxBodySize);
			PlainTextResponse.send(this.sink, 413, "", "The request body exceeds the limit of "
					+ this.maxBodySize + " bytes.", List.of());
		}
		else if (this.owner.get() == Owner.APP) {
			this.sink.abort(new IllegalStateException("the request body exceeds the limit of " + this.maxBodySize
					+ " bytes"));
		}
		disconnect();
	}

	@Override
	public void onError(Throwable failure) {
		this.logger.debug("Reading the request body failed", failure);
		disconnect();
	}

	@Override
	public void onComplete() {
		// After a disconnect (a body over the limit) the app is owed http.disconnect, not the end of the body.
		if (this.disconnected.get()) {
			return;
		}
		toPython((connection) -> connection.invokeMember("feed", "", false));
	}

	// The app's side, on the event loop thread ------------------------------------------------

	/**
	 * The route template the framework matched, when the response starts.
	 * @param template the template
	 */
	@HostAccess.Export
	public void route(String template) {
		this.sink.route(template);
	}

	/**
	 * {@code http.response.start}, checked by the Python side.
	 * @param status the status code
	 * @param headers names and values, alternating, separated by {@link PythonCrossing#HEADER_SEPARATOR}
	 */
	@HostAccess.Export
	public void start(int status, String headers) {
		if (claim(Owner.APP)) {
			this.sink.start(status, "", PythonCrossing.headers(headers));
		}
	}

	/**
	 * {@code http.response.start} and a {@code http.response.body} with the whole body, sent
	 * one after the other: the whole response at once.
	 * @param status the status code
	 * @param headers names and values, alternating, separated by {@link PythonCrossing#HEADER_SEPARATOR}
	 * @param bytes the whole body, a Python {@code bytes} object
	 */
	@HostAccess.Export
	public void respond(int status, String headers, Value bytes) {
		if (claim(Owner.APP) && !this.disconnected.get()) {
			this.completed = true;
			List<Map.Entry<String, String>> fields = PythonCrossing.headers(headers);
			if (this.discardBody) {
				this.sink.start(status, "", fields);
				this.sink.complete();
			}
			else {
				this.sink.respond(status, "", fields, PythonCrossing.bytes(bytes));
			}
		}
		finished();
	}

	/**
	 * A chunk of {@code http.response.body}.
	 * @param bytes a Python {@code bytes} object
	 * @return whether the app may send on; if not, its send waits for the connection's
	 * {@code resume}, which comes once a slow client has taken most of what is buffered
	 */
	@HostAccess.Export
	public boolean write(Value bytes) {
		if (this.discardBody || this.disconnected.get() || this.owner.get() != Owner.APP) {
			return true;
		}
		try {
			this.sink.write(PythonCrossing.bytes(bytes));
		}
		catch (IOException ex) {
			disconnect();
			return true;
		}
		return !this.sink.fallenBehind(() -> toPython((connection) -> connection.invokeMember("resume")));
	}

	/**
	 * The last {@code http.response.body} message was sent, or dropped after a disconnect.
	 */
	@HostAccess.Export
	public void complete() {
		if (this.owner.get() == Owner.APP && !this.disconnected.get()) {
			this.completed = true;
			this.sink.complete();
		}
		finished();
	}

	/**
	 * The app raised, or broke a rule of the spec, before completing the response.
	 * @param kind {@code app} or {@code protocol}
	 * @param message what went wrong
	 * @param traceback the Python traceback, or {@code ""}
	 */
	@HostAccess.Export
	public void fail(String kind, String message, String traceback) {
		try {
			String summary = "protocol".equals(kind) ? "broke a rule of the ASGI spec: " + message
					: "raised " + message;
			if (this.owner.get() == Owner.BRIDGE) {
				this.logger.debug("App '{}' ended after the server answered in its place: {}", this.appName, message);
			}
			else if (this.disconnected.get()) {
				this.logger.debug("App '{}' ended after its client went away: {}", this.appName, message);
				this.sink.abort(new IllegalStateException("the client went away"));
			}
			else if (this.completed) {
				// Starlette's ServerErrorMiddleware sends its 500, then re-raises for the server to log.
				this.logger.error("App '{}' {} after completing its response\n{}", this.appName, summary, traceback);
			}
			else if (this.owner.get() == Owner.APP) {
				this.logger.error("App '{}' {} after http.response.start; the connection is aborted\n{}",
						this.appName, summary, traceback);
				this.sink.abort(new IllegalStateException("app '" + this.appName + "' " + summary));
			}
			else if (claim(Owner.BRIDGE)) {
				this.logger.error("App '{}' {}\n{}", this.appName, summary, traceback);
				String detail = this.debug ? "App '" + this.appName + "' " + summary + "\n\n" + traceback
						: "The server could not complete the request.";
				PlainTextResponse.send(this.sink, 500, "", detail, List.of());
			}
		}
		finally {
			finished();
		}
	}

}
