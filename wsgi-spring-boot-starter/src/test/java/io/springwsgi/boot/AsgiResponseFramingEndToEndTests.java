package io.springwsgi.boot;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An ASGI app's {@code Content-Length} on the wire, over raw sockets: never more bytes than it
 * declares, and a closed connection when it sent fewer, so a client never reads one response's
 * bytes as part of another or waits for bytes that never come.
 */
@SpringBootTest(classes = TestService.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("asgi")
class AsgiResponseFramingEndToEndTests {

	@LocalServerPort
	private int port;

	@Test
	void bytesPastTheContentLengthAreNotSent() throws Exception {
		// The app sends "abc" then "defgh" under a Content-Length of 5: the next response follows "abcde".
		String exchange = RawHttp.exchangeTwice(this.port, "GET /asgi-edge/overlong HTTP/1.1\r\nHost: x\r\n\r\n", 5,
				"GET /asgi-edge/loaded HTTP/1.1\r\nHost: x\r\n\r\n");
		assertThat(exchange.substring(exchange.indexOf("\r\n\r\n") + 4)).as(exchange)
			.startsWith("abcdeHTTP/1.1 200 ");
	}

	@Test
	void responseShorterThanItsContentLengthClosesTheConnection() throws Exception {
		// Kept alive by default: only a close ends this read before its guard fails the test.
		String exchange = RawHttp.exchange(this.port, "GET /asgi-edge/short HTTP/1.1\r\nHost: x\r\n\r\n");
		assertThat(exchange).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nabcde");
	}

}
