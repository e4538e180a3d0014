package io.springwsgi.boot;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's front door over raw sockets: requests whose framing RFC 9112 does not allow
 * get one 4xx or 5xx refusal and a closed connection, on Java routes and Python ones alike,
 * so what follows such a request is never read as a request of its own.
 */
@SpringBootTest(classes = TestService.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("e2e")
class StrictHttpEndToEndTests {

	/** A status line, also right after a body: a smuggled second answer follows the first's last byte. */
	private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");

	/** A complete request that would be answered if the refused one's body were read as one. */
	private static final String SMUGGLED = "GET /api/hello HTTP/1.1\r\nHost: x\r\n\r\n";

	@LocalServerPort
	private int port;

	@ParameterizedTest(name = "{0} on {1}")
	@CsvSource(delimiter = '|', textBlock = """
			HTTP/3.0                       | /api/hello   | 505
			HTTP/3.0                       | /flask/      | 505
			HTTP/2.0                       | /flask/      | 505
			http/1.1                       | /api/hello   | 400
			http/1.1                       | /flask/      | 400
			two Host fields                | /api/hello   | 400
			two Host fields                | /flask/      | 400
			no Host field                  | /flask/      | 400
			Transfer-Encoding: xchunked    | /api/hello   | 501
			Transfer-Encoding: xchunked    | /flask/upload | 501
			Transfer-Encoding: gzip        | /flask/upload | 501
			chunked twice                  | /flask/upload | 400
			Content-Length and chunked     | /api/hello   | 400
			Content-Length and chunked     | /flask/upload | 400
			chunk size zz                  | /flask/upload | 400
			chunk size -5                  | /flask/upload | 400
			chunk size 0x5                 | /flask/upload | 400
			method G(T                     | /api/hello   | 400
			method G(T                     | /flask/      | 400
			""")
	void malformedFramingIsRefusedAndTheConnectionClosed(String malformation, String path, int status)
			throws Exception {
		String exchange = send(request(malformation, path) + SMUGGLED);
		assertThat(statuses(exchange)).as(exchange).containsExactly(status);
	}

	@ParameterizedTest(name = "chunk size {0} on {1}")
	@CsvSource({ "zz, /api/hello", "-5, /api/hello" })
	void malformedChunkToARouteThatAnsweredAlreadyClosesTheConnection(String size, String path) throws Exception {
		String exchange = send("GET " + path + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + size
				+ "\r\nhello\r\n0\r\n\r\n" + SMUGGLED);
		// The Java route may have answered before the bad chunk arrived; nothing after it is.
		assertThat(statuses(exchange)).as(exchange).hasSizeLessThanOrEqualTo(1).allMatch((code) -> code < 500);
		assertThat(exchange).doesNotContain("\"app\":\"java\"}HTTP/1.1 200");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "/api/hello", "/flask/" })
	void wellFormedRequestsOnOneKeptAliveConnectionAreAllAnswered(String path) throws Exception {
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.setSoTimeout(60_000);
			InputStream in = socket.getInputStream();
			for (int i = 0; i < 3; i++) {
				socket.getOutputStream()
					.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
				String head = RawHttp.readHead(in);
				assertThat(head).startsWith("HTTP/1.1 200 ").doesNotContainIgnoringCase("connection: close");
				Matcher length = Pattern.compile("(?i)content-length: (\\d+)").matcher(head);
				assertThat(length.find()).as(head).isTrue();
				assertThat(in.readNBytes(Integer.parseInt(length.group(1)))).isNotEmpty();
			}
		}
	}

	@Test
	void bytesPastTheContentLengthAreNotSent() throws Exception {
		// The app yields "abc" then "defgh" under a Content-Length of 5: the next response follows "abcde".
		String exchange = RawHttp.exchangeTwice(this.port, "GET /edge/overlong HTTP/1.1\r\nHost: x\r\n\r\n", 5,
				"GET /edge/protocol HTTP/1.1\r\nHost: x\r\n\r\n");
		assertThat(exchange.substring(exchange.indexOf("\r\n\r\n") + 4)).as(exchange)
			.startsWith("abcdeHTTP/1.1 200 ");
	}

	@Test
	void responseShorterThanItsContentLengthClosesTheConnection() throws Exception {
		// Kept alive by default: only a close ends this read before its guard fails the test.
		String exchange = send("GET /edge/short HTTP/1.1\r\nHost: x\r\n\r\n");
		assertThat(exchange).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nabcde");
	}

	private static String request(String malformation, String path) {
		String chunkedBody = "5\r\nhello\r\n0\r\n\r\n";
		return switch (malformation) {
			case "HTTP/3.0", "HTTP/2.0", "http/1.1" -> "GET " + path + " " + malformation + "\r\nHost: x\r\n\r\n";
			case "two Host fields" -> "GET " + path + " HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n";
			case "no Host field" -> "GET " + path + " HTTP/1.1\r\n\r\n";
			case "Transfer-Encoding: xchunked", "Transfer-Encoding: gzip" ->
				"POST " + path + " HTTP/1.1\r\nHost: x\r\n" + malformation + "\r\n\r\n" + chunkedBody;
			case "chunked twice" -> "POST " + path + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n"
					+ chunkedBody;
			case "Content-Length and chunked" -> "POST " + path
					+ " HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n" + chunkedBody;
			case "method G(T" -> "G(T " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
			default -> "POST " + path + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
					+ malformation.substring("chunk size ".length()) + "\r\nhello\r\n0\r\n\r\n";
		};
	}

	private String send(String bytes) throws IOException {
		return RawHttp.exchange(this.port, bytes);
	}

	private static List<Integer> statuses(String exchange) {
		List<Integer> statuses = new ArrayList<>();
		Matcher matcher = STATUS_LINE.matcher(exchange);
		while (matcher.find()) {
			statuses.add(Integer.parseInt(matcher.group(1)));
		}
		return statuses;
	}

}
