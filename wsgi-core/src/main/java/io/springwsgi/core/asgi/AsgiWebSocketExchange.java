package io.springwsgi.core.asgi;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import io.springwsgi.core.http.PythonCrossing;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;
import org.slf4j.Logger;

/**
 * The Java half of one ASGI WebSocket connection: frames from the client are pulled into the
 * app's {@code receive} one at a time, and what the app sends goes to a {@link WebSocketPeer}.
 * Python calls it on the event loop thread; what goes into Python goes through the context's
 * feeder thread.
 */
public final class AsgiWebSocketExchange extends AsgiExchange<AsgiWebSocketMessage> {

	/** Close code when the app fails after accepting: "Internal Error" (RFC 6455, 7.4.1). */
	static final int INTERNAL_ERROR = 1011;

	private final WebSocketPeer peer;

	private final AtomicBoolean disconnected = new AtomicBoolean();

	private volatile boolean accepted;

	private volatile boolean closed;

	AsgiWebSocketExchange(String appName, WebSocketPeer peer, Executor feeder, Logger logger) {
		super(appName, feeder, logger);
		this.peer = peer;
	}

	/**
	 * The client closed the connection, or it broke: the app's {@code receive} answers
	 * {@code websocket.disconnect} with this code.
	 * @param code the close code the client sent, 1005 if none, 1006 if the connection broke
	 */
	public void disconnect(int code) {
		if (this.disconnected.compareAndSet(false, true)) {
			toPython((connection) -> connection.invokeMember("disconnect", code));
		}
	}

	@Override
	public void onNext(AsgiWebSocketMessage message) {
		toPython((connection) -> connection.invokeMember("feed", message.text(), message.data()));
	}

	@Override
	public void onError(Throwable failure) {
		// The frames end with an error when the connection closes; the close code, which the
		// app is owed, arrives through disconnect(int) from the server's close status.
		this.logger.debug("The WebSocket's frames ended", failure);
	}

	@Override
	public void onComplete() {
		// As for onError: disconnect(int) follows with the close code.
	}

	@HostAccess.Export
	public void accept(String subprotocol) {
		this.accepted = true;
		this.peer.accept(subprotocol);
	}

	/**
	 * A text frame.
	 * @param text the text
	 * @return whether the app may send on; if not, its send waits for the connection's
	 * {@code resume}, which comes once a slow client has taken most of what is buffered
	 */
	@HostAccess.Export
	public boolean sendText(String text) {
		this.peer.sendText(text);
		return !this.peer.fallenBehind(this::resume);
	}

	/**
	 * A binary frame.
	 * @param bytes a Python {@code bytes} object
	 * @return whether the app may send on, as for {@link #sendText}
	 */
	@HostAccess.Export
	public boolean sendBytes(Value bytes) {
		this.peer.sendBytes(PythonCrossing.bytes(bytes));
		return !this.peer.fallenBehind(this::resume);
	}

	private void resume() {
		toPython((connection) -> connection.invokeMember("resume"));
	}

	@HostAccess.Export
	public void close(int code, String reason) {
		this.closed = true;
		if (this.accepted) {
			this.peer.close(code, reason);
		}
		else {
			this.peer.deny();
		}
	}

	/**
	 * The context the connection runs in was given up: refuse the handshake, or close the
	 * connection with "Internal Error", and end the exchange.
	 */
	void abandon() {
		if (!done().isDone()) {
			if (!this.accepted) {
				this.peer.deny();
			}
			else if (!this.closed) {
				this.peer.close(INTERNAL_ERROR, "");
			}
		}
		finished();
	}

	/**
	 * The app returned.
	 */
	@HostAccess.Export
	public void finish() {
		if (!this.accepted) {
			this.peer.deny();
		}
		else if (!this.closed) {
			this.peer.close(1000, "");
		}
		finished();
	}

	/**
	 * The app raised, or broke a rule of the spec.
	 * @param kind {@code app} or {@code protocol}
	 * @param message what went wrong
	 * @param traceback the Python traceback, or {@code ""}
	 */
	@HostAccess.Export
	public void fail(String kind, String message, String traceback) {
		try {
			if (this.disconnected.get()) {
				this.logger.debug("App '{}' ended after its WebSocket client went away: {}", this.appName, message);
			}
			else {
				this.logger.error("App '{}' {} on a WebSocket\n{}", this.appName,
						"protocol".equals(kind) ? "broke a rule of the ASGI spec: " + message : "raised " + message,
						traceback);
			}
			if (!this.accepted) {
				this.peer.deny();
			}
			else if (!this.closed) {
				this.peer.close(INTERNAL_ERROR, "");
			}
		}
		finally {
			finished();
		}
	}

}
