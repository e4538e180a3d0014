package io.springwsgi.core.asgi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

import io.springwsgi.core.wsgi.ResponseSink;
import io.springwsgi.core.wsgi.WsgiResponseChannel;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;
import org.slf4j.Logger;

/**
 * The Java half of one ASGI HTTP connection: {@code receive} pulls the request body from here
 * chunk by chunk, {@code send} hands the response here, and here the response goes to a
 * {@link ResponseSink}. Python calls it on the context's event loop thread, so nothing here
 * blocks; what goes into Python (body chunks, the client's disconnect) goes through the
 * context's feeder thread.
 */
public final class AsgiHttpExchange implements Flow.Subscriber<byte[]> {

	private final String appName;

	private final ResponseSink sink;

	private final boolean discardBody;

	private final boolean debug;

	private final Executor feeder;

	private final Logger logger;

	private final CompletableFuture<Void> done = new CompletableFuture<>();

	private final AtomicBoolean disconnected = new AtomicBoolean();

	private volatile Flow.Subscription subscription;

	private volatile Value connection;

	private boolean pendingPull;

	private volatile boolean started;

	private volatile boolean completed;

	AsgiHttpExchange(String appName, ResponseSink sink, boolean discardBody, boolean debug, Executor feeder,
			Logger logger) {
		this.appName = appName;
		this.sink = sink;
		this.discardBody = discardBody;
		this.debug = debug;
		this.feeder = feeder;
		this.logger = logger;
	}

	void attach(Value connection) {
		this.connection = connection;
	}

	/**
	 * Completes once the app has finished with the response, or failed.
	 * @return completion of the exchange
	 */
	public CompletableFuture<Void> done() {
		return this.done;
	}

	/**
	 * The client went away: the app's {@code receive} answers {@code http.disconnect} and what
	 * it sends is dropped. Call from any thread, as often as convenient.
	 */
	public void disconnect() {
		if (this.disconnected.compareAndSet(false, true)) {
			Flow.Subscription current = this.subscription;
			if (current != null) {
				current.cancel();
			}
			Value open = this.connection;
			if (open != null && !this.done.isDone()) {
				this.feeder.execute(() -> open.invokeMember("disconnect"));
			}
		}
	}

	// The request body, from the server ------------------------------------------------------

	@Override
	public void onSubscribe(Flow.Subscription subscription) {
		boolean requested;
		synchronized (this) {
			this.subscription = subscription;
			requested = this.pendingPull;
		}
		if (requested) {
			subscription.request(1);
		}
	}

	@Override
	public void onNext(byte[] chunk) {
		// Bytes cross as a latin-1 string, one char per byte: the cheapest crossing found.
		String data = new String(chunk, StandardCharsets.ISO_8859_1);
		this.feeder.execute(() -> this.connection.invokeMember("feed", data, true));
	}

	@Override
	public void onError(Throwable failure) {
		this.logger.debug("Reading the request body failed", failure);
		disconnect();
	}

	@Override
	public void onComplete() {
		this.feeder.execute(() -> this.connection.invokeMember("feed", "", false));
	}

	// The app's side, on the event loop thread ------------------------------------------------

	/**
	 * The app awaits the next body chunk.
	 */
	@HostAccess.Export
	public void pull() {
		Flow.Subscription current;
		synchronized (this) {
			current = this.subscription;
			this.pendingPull = (current == null);
		}
		if (current != null) {
			current.request(1);
		}
	}

	/**
	 * {@code http.response.start}, checked by the Python side.
	 * @param status the status code
	 * @param headers names and values, alternating, separated by {@code \n}
	 */
	@HostAccess.Export
	public void start(int status, String headers) {
		this.started = true;
		List<Map.Entry<String, String>> fields = WsgiResponseChannel.parseHeaders(headers);
		this.sink.start(status, "", fields);
	}

	/**
	 * A chunk of {@code http.response.body}.
	 * @param bytes a Python {@code bytes} object
	 */
	@HostAccess.Export
	public void write(Value bytes) {
		if (this.discardBody || this.disconnected.get()) {
			return;
		}
		byte[] chunk = new byte[Math.toIntExact(bytes.getBufferSize())];
		bytes.readBuffer(0, chunk, 0, chunk.length);
		try {
			this.sink.write(chunk);
		}
		catch (IOException ex) {
			disconnect();
		}
	}

	/**
	 * The last {@code http.response.body} message was sent.
	 */
	@HostAccess.Export
	public void complete() {
		this.completed = true;
		this.sink.complete();
		this.done.complete(null);
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
			if (this.disconnected.get()) {
				this.logger.debug("App '{}' ended after its client went away: {}", this.appName, message);
				this.sink.abort(new IllegalStateException("the client went away"));
				return;
			}
			String summary = "protocol".equals(kind) ? "broke a rule of the ASGI spec: " + message
					: "raised " + message;
			if (this.completed) {
				// Starlette's ServerErrorMiddleware sends its 500, then re-raises for the server to log.
				this.logger.error("App '{}' {} after completing its response\n{}", this.appName, summary, traceback);
				return;
			}
			if (this.started) {
				this.logger.error("App '{}' {} after http.response.start; the connection is aborted\n{}",
						this.appName, summary, traceback);
				this.sink.abort(new IllegalStateException("app '" + this.appName + "' " + summary));
				return;
			}
			this.logger.error("App '{}' {}\n{}", this.appName, summary, traceback);
			String detail = this.debug ? "App '" + this.appName + "' " + summary + "\n\n" + traceback
					: "The server could not complete the request.";
			AsgiApplication.respondWithError(this.sink, 500, detail, List.of());
		}
		finally {
			this.done.complete(null);
		}
	}

}
