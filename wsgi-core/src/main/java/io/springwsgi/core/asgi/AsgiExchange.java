package io.springwsgi.core.asgi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;
import org.slf4j.Logger;

/**
 * What the Java halves of ASGI connections share: the Python connection object they talk to,
 * the completion of the app's task, and the client's messages, pulled one at a time as the
 * app's {@code receive} asks for them. Python calls the exported methods on the context's
 * event loop thread, so nothing here blocks; what goes into Python goes through the context's
 * feeder thread.
 *
 * @param <T> what arrives from the client: body chunks or WebSocket frames
 */
public abstract class AsgiExchange<T> implements Flow.Subscriber<T> {

	final String appName;

	final Logger logger;

	private final Executor feeder;

	private final CompletableFuture<Void> done = new CompletableFuture<>();

	private volatile Value connection;

	private Flow.Subscription subscription;

	private boolean pendingPull;

	AsgiExchange(String appName, Executor feeder, Logger logger) {
		this.appName = appName;
		this.feeder = feeder;
		this.logger = logger;
	}

	/**
	 * Called on the feeder thread with the Python connection the request was handed to.
	 */
	void attach(Value connection) {
		this.connection = connection;
	}

	/**
	 * Completes once the app has finished with the connection, or failed.
	 * @return completion of the exchange
	 */
	public CompletableFuture<Void> done() {
		return this.done;
	}

	/**
	 * Run {@code action} on the Python connection, on the feeder thread, unless the exchange
	 * is done by then. What is sent before the request was handed to Python runs after the
	 * hand-off, which the feeder took first.
	 */
	final void toPython(Consumer<Value> action) {
		this.feeder.execute(() -> {
			Value open = this.connection;
			if (open != null && !this.done.isDone()) {
				action.accept(open);
			}
		});
	}

	final void finished() {
		this.done.complete(null);
	}

	final void cancelClientMessages() {
		Flow.Subscription current;
		synchronized (this) {
			current = this.subscription;
		}
		if (current != null) {
			current.cancel();
		}
	}

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

	/**
	 * The app awaits the next message from the client.
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

}
