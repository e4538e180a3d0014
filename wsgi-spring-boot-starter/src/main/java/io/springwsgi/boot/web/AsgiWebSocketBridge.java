package io.springwsgi.boot.web;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.springwsgi.core.asgi.AsgiWebSocketExchange;
import io.springwsgi.core.asgi.AsgiWebSocketMessage;
import io.springwsgi.core.asgi.WebSocketPeer;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;

/**
 * One ASGI WebSocket over WebFlux's WebSocket support. The handshake waits for the app: its
 * {@code websocket.accept} completes the upgrade, its {@code websocket.close} before that
 * refuses it. Frames the app sends are buffered, never blocking the event loop that sends
 * them; once more than {@link #WINDOW} bytes wait for the client, the app's {@code send}
 * waits until half of them have gone.
 */
final class AsgiWebSocketBridge implements WebSocketPeer, WebSocketHandler {

	/** Bytes of frames buffered for a client before the app's sends wait for it. */
	static final long WINDOW = 1024 * 1024;

	private final DataBufferFactory bufferFactory;

	private final SendWindow window = new SendWindow(WINDOW);

	private final CompletableFuture<Optional<String>> handshake = new CompletableFuture<>();

	private final Sinks.Many<WebSocketMessage> outbound = Sinks.many().unicast().onBackpressureBuffer();

	private volatile CloseStatus closeStatus;

	private volatile AsgiWebSocketExchange exchange;

	private volatile WebSocketSession session;

	AsgiWebSocketBridge(DataBufferFactory bufferFactory) {
		this.bufferFactory = bufferFactory;
	}

	void attach(AsgiWebSocketExchange exchange) {
		this.exchange = exchange;
	}

	/**
	 * The app's answer to the handshake.
	 * @return the accepted subprotocol ({@code ""} for none), or empty if the app refused
	 */
	CompletableFuture<Optional<String>> handshake() {
		return this.handshake;
	}

	/**
	 * The handshake is over: upgraded, refused, timed out, or abandoned by the client. Without
	 * a session the client is gone for good, and the app's {@code receive} says so; a session
	 * reports its own close code.
	 */
	void handshakeEnded() {
		if (this.session == null) {
			this.exchange.disconnect(1006);
		}
	}

	@Override
	public List<String> getSubProtocols() {
		String subprotocol = this.handshake.getNow(Optional.empty()).orElse("");
		return subprotocol.isEmpty() ? List.of() : List.of(subprotocol);
	}

	@Override
	public Mono<Void> handle(WebSocketSession session) {
		this.session = session;
		Flux<AsgiWebSocketMessage> frames = session.receive()
			.filter((message) -> message.getType() == WebSocketMessage.Type.TEXT
					|| message.getType() == WebSocketMessage.Type.BINARY)
			.map(AsgiWebSocketBridge::toAsgi);
		JdkFlowAdapter.publisherToFlowPublisher(frames).subscribe(this.exchange);
		session.closeStatus()
			.subscribe((status) -> this.exchange.disconnect(status.getCode()), (failure) -> this.exchange.disconnect(1006),
					() -> this.exchange.disconnect(1005));
		Flux<WebSocketMessage> sent = this.outbound.asFlux()
			.doOnNext((message) -> this.window.taken(message.getPayload().readableByteCount()));
		CloseStatus early = this.closeStatus;
		if (early != null) {
			// The app accepted and closed before the upgrade was done.
			return session.send(sent).then(session.close(early));
		}
		return session.send(sent);
	}

	private static AsgiWebSocketMessage toAsgi(WebSocketMessage message) {
		if (message.getType() == WebSocketMessage.Type.TEXT) {
			return AsgiWebSocketMessage.text(message.getPayloadAsText());
		}
		// Copied, not released: the session releases each frame's buffer after this returns.
		byte[] bytes = new byte[message.getPayload().readableByteCount()];
		message.getPayload().read(bytes);
		return AsgiWebSocketMessage.binary(bytes);
	}

	@Override
	public void accept(String subprotocol) {
		this.handshake.complete(Optional.of(subprotocol));
	}

	@Override
	public void deny() {
		this.handshake.complete(Optional.empty());
		this.outbound.tryEmitComplete();
	}

	@Override
	public void sendText(String text) {
		send(WebSocketMessage.Type.TEXT, text.getBytes(StandardCharsets.UTF_8));
	}

	@Override
	public void sendBytes(byte[] bytes) {
		send(WebSocketMessage.Type.BINARY, bytes);
	}

	private void send(WebSocketMessage.Type type, byte[] payload) {
		this.window.added(payload.length);
		this.outbound.tryEmitNext(new WebSocketMessage(type, this.bufferFactory.wrap(payload)));
	}

	@Override
	public boolean fallenBehind(Runnable resume) {
		return this.window.fallenBehind(resume);
	}

	@Override
	public void close(int code, String reason) {
		CloseStatus status = new CloseStatus(code, reason.isEmpty() ? null : reason);
		this.closeStatus = status;
		WebSocketSession current = this.session;
		if (current == null) {
			this.outbound.tryEmitComplete();
			return;
		}
		// The close frame goes first: the outbound completing by itself would close with 1000.
		current.close(status).subscribe(null, null, this.outbound::tryEmitComplete);
	}

}
