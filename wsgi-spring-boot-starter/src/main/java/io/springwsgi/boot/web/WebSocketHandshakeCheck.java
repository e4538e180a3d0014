package io.springwsgi.boot.web;

import java.util.Base64;
import java.util.Optional;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The checks of a WebSocket opening handshake (RFC 6455, 4.2.1) that the upgrade would make
 * after the app accepted it, made before the app is asked: a request that cannot become a
 * WebSocket never reaches the app nor takes a place among its requests in flight.
 */
final class WebSocketHandshakeCheck {

	private static final String KEY_HEADER = "Sec-WebSocket-Key";

	private static final String VERSION_HEADER = "Sec-WebSocket-Version";

	/** The only version of the protocol (RFC 6455, 4.4). */
	private static final String VERSION = "13";

	/** A {@code Sec-WebSocket-Key} is the base64 of 16 random bytes. */
	private static final int KEY_LENGTH = 16;

	private WebSocketHandshakeCheck() {
	}

	/**
	 * Check a request that asks for {@code Upgrade: websocket}.
	 * @param request the request
	 * @return the refusal, or empty if the handshake is well-formed
	 */
	static Optional<Mono<ServerResponse>> refusal(ServerRequest request) {
		HttpHeaders headers = request.headers().asHttpHeaders();
		if (!HttpMethod.GET.equals(request.method())) {
			return Optional.of(refuse(HttpStatus.METHOD_NOT_ALLOWED, HttpHeaders.ALLOW, "GET",
					"A WebSocket handshake is a GET request (RFC 6455, 4.1)."));
		}
		if (headers.getConnection().stream().noneMatch("upgrade"::equalsIgnoreCase)) {
			return Optional.of(refuse(HttpStatus.BAD_REQUEST, null, null,
					"A WebSocket handshake has Upgrade among its Connection options (RFC 6455, 4.1)."));
		}
		if (!isKey(headers.getFirst(KEY_HEADER))) {
			return Optional.of(refuse(HttpStatus.BAD_REQUEST, null, null,
					"A WebSocket handshake has a Sec-WebSocket-Key of 16 bytes in base64 (RFC 6455, 4.1)."));
		}
		if (!VERSION.equals(headers.getFirst(VERSION_HEADER))) {
			return Optional.of(refuse(HttpStatus.UPGRADE_REQUIRED, VERSION_HEADER, VERSION,
					"This server speaks WebSocket version 13 only (RFC 6455, 4.4)."));
		}
		return Optional.empty();
	}

	private static boolean isKey(String key) {
		if (key == null) {
			return false;
		}
		try {
			return Base64.getDecoder().decode(key.strip()).length == KEY_LENGTH;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private static Mono<ServerResponse> refuse(HttpStatus status, String header, String value, String why) {
		ServerResponse.BodyBuilder response = ServerResponse.status(status).contentType(MediaType.TEXT_PLAIN);
		if (header != null) {
			response.header(header, value);
		}
		return response.bodyValue(why);
	}

}
