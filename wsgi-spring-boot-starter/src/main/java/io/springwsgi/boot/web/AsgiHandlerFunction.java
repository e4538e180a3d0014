package io.springwsgi.boot.web;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.springwsgi.core.asgi.AsgiApplication;
import io.springwsgi.core.asgi.AsgiHttpExchange;
import io.springwsgi.core.asgi.AsgiWebSocketExchange;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.WebsocketServerSpec;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import org.springframework.web.server.ServerWebExchange;

/**
 * Serves HTTP requests and WebSocket connections to one ASGI app: the request body is pulled a buffer at a time as the
 * app's {@code receive} asks, and the response leaves as the app sends it. Nothing here
 * blocks; the app runs on its contexts' event loops.
 */
public final class AsgiHandlerFunction implements HandlerFunction<ServerResponse> {

	private static final String SUBPROTOCOL_HEADER = "Sec-WebSocket-Protocol";

	private final Supplier<AsgiApplication> application;

	private final Duration handshakeTimeout;

	private final WebSocketService webSocketService;

	private final EventLoopSchedulers schedulers = new EventLoopSchedulers();

	/**
	 * Create the handler.
	 * @param application the app's current contexts, looked up per request so a reload takes
	 * effect for the next one
	 * @param handshakeTimeout how long the app may take to accept or refuse a WebSocket
	 * handshake (its request timeout); zero for no limit
	 * @param maxMessageSize the largest WebSocket message the app receives, in bytes
	 */
	public AsgiHandlerFunction(Supplier<AsgiApplication> application, Duration handshakeTimeout, int maxMessageSize) {
		this.application = application;
		this.handshakeTimeout = handshakeTimeout;
		// Spring's Reactor Netty session aggregates a fragmented message up to the same size.
		this.webSocketService = new HandshakeWebSocketService(new ReactorNettyRequestUpgradeStrategy(
				() -> WebsocketServerSpec.builder().maxFramePayloadLength(maxMessageSize)));
	}

	@Override
	public Mono<ServerResponse> handle(ServerRequest request) {
		AsgiApplication current = this.application.get();
		if (current == null) {
			return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE).build();
		}
		if (isWebSocketUpgrade(request)) {
			return websocket(current, request);
		}
		WindowedServerResponseSink sink = new WindowedServerResponseSink(request.exchange().getResponse().bufferFactory(),
				this.schedulers.of(request.exchange().getRequest()));
		sink.onRoute((template) -> HostedAppExchange.routeMatched(request.exchange(), template));
		Flux<byte[]> body = request.bodyToFlux(DataBuffer.class).map(ServerRequests::bytes);
		AsgiHttpExchange exchange = current.handle(ServerRequests.head(request.exchange()),
				JdkFlowAdapter.publisherToFlowPublisher(body), sink);
		sink.onClientGone(exchange::disconnect);
		return sink.response();
	}

	private Mono<ServerResponse> websocket(AsgiApplication current, ServerRequest request) {
		Optional<Mono<ServerResponse>> refusal = WebSocketHandshakeCheck.refusal(request);
		if (refusal.isPresent()) {
			return refusal.get();
		}
		AsgiWebSocketBridge bridge = new AsgiWebSocketBridge(request.exchange().getResponse().bufferFactory());
		AsgiWebSocketExchange exchange = current.websocket(
				ServerRequests.head(request.exchange()), bridge);
		if (exchange == null) {
			return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "1").build();
		}
		bridge.attach(exchange);
		Mono<Optional<String>> handshake = Mono.fromFuture(bridge.handshake(), true);
		if (this.handshakeTimeout.isPositive()) {
			handshake = handshake.timeout(this.handshakeTimeout);
		}
		return handshake.flatMap((accepted) -> accepted.isPresent()
				// The upgrade writes the response itself: no ServerResponse follows it.
				? this.webSocketService.handleRequest(withTrimmedSubprotocols(request.exchange()), bridge)
					.then(Mono.<ServerResponse>empty())
				: ServerResponse.status(HttpStatus.FORBIDDEN).build())
			.onErrorResume(TimeoutException.class, (timeout) -> ServerResponse.status(HttpStatus.GATEWAY_TIMEOUT)
				.bodyValue("App '" + current.name() + "' did not answer the WebSocket handshake within "
						+ this.handshakeTimeout + "."))
			// Refused, timed out, or the client left before the app accepted: the app is told.
			.doFinally((signal) -> bridge.handshakeEnded());
	}

	/**
	 * The handshake picks the app's subprotocol from the client's list by exact match, and
	 * Spring splits {@code Sec-WebSocket-Protocol: chat, superchat} at the commas without
	 * trimming: the list goes in without spaces.
	 */
	private static ServerWebExchange withTrimmedSubprotocols(ServerWebExchange exchange) {
		List<String> offered = exchange.getRequest().getHeaders().get(SUBPROTOCOL_HEADER);
		if (offered == null) {
			return exchange;
		}
		String trimmed = offered.stream()
			.flatMap((value) -> Arrays.stream(value.split(",")))
			.map(String::strip)
			.filter((protocol) -> !protocol.isEmpty())
			.collect(Collectors.joining(","));
		return exchange.mutate().request((request) -> request.headers((headers) -> headers.set(SUBPROTOCOL_HEADER,
				trimmed))).build();
	}

	private static boolean isWebSocketUpgrade(ServerRequest request) {
		return "websocket".equalsIgnoreCase(request.headers().firstHeader("Upgrade"));
	}

}
