package io.springwsgi.boot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.springwsgi.boot.apps.HostedApp;
import io.springwsgi.boot.apps.HostedApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter in a running server, over real HTTP: a Flask app and a plain WSGI app next to a
 * Java endpoint.
 */
@SpringBootTest(classes = TestService.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("e2e")
class WsgiEndToEndTests {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	@LocalServerPort
	private int port;

	@TempDir
	Path temp;

	@Autowired
	private HostedApps hostedApps;

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void flaskAndJavaAnswerFromOneServer() throws Exception {
		HttpResponse<String> flask = get("/flask/");
		HttpResponse<String> java = get("/api/hello");
		assertThat(flask.statusCode()).isEqualTo(200);
		assertThat(flask.body()).contains("\"app\":\"flask\"", "\"script_root\":\"/flask\"");
		assertThat(java.statusCode()).isEqualTo(200);
		assertThat(java.body()).isEqualTo("{\"app\":\"java\"}");
	}

	@Test
	void mountPathWithoutTrailingSlashReachesTheRootRoute() throws Exception {
		HttpResponse<String> response = get("/flask");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"path\":\"/\"");
	}

	@Test
	void serverProtocolIsTheRequestsHttpVersion() throws Exception {
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.getOutputStream()
				.write("GET /edge/protocol HTTP/1.0\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
			assertThat(response).contains(" 200 ");
			assertThat(response.substring(response.indexOf("\r\n\r\n"))).contains("HTTP/1.0");
		}
	}

	@Test
	void streamedUploadReachesTheAppWhole() throws Exception {
		long size = 64L * 1024 * 1024;
		MessageDigest digest = MessageDigest.getInstance("SHA-256");
		Supplier<InputStream> body = () -> new PatternStream(size, digest);
		HttpResponse<String> response = this.client.send(
				HttpRequest.newBuilder(uri("/flask/upload")).POST(HttpRequest.BodyPublishers.ofInputStream(body)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.body()).contains("\"size\":" + size,
				"\"sha256\":\"" + HexFormat.of().formatHex(digest.digest()) + "\"");
	}

	@Test
	void generatorChunksReachTheClientBeforeTheGeneratorEnds() throws Exception {
		Path gate = this.temp.resolve("gate");
		HttpResponse<InputStream> response = this.client.send(
				HttpRequest.newBuilder(uri("/flask/stream?gate=" + gate)).build(),
				HttpResponse.BodyHandlers.ofInputStream());
		try (InputStream body = response.body()) {
			// The generator cannot go past its first chunk until the gate exists.
			assertThat(readLine(body)).isEqualTo("first");
			Files.createFile(gate);
			assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8))
				.isEqualTo("more 0\nmore 1\nmore 2\nmore 3\n");
		}
	}

	@Test
	void busyPoolAnswers503WithRetryAfter() throws Exception {
		Path gate = this.temp.resolve("busy");
		CompletableFuture<HttpResponse<String>> holding = this.client.sendAsync(
				HttpRequest.newBuilder(uri("/edge/wait?" + gate)).build(), HttpResponse.BodyHandlers.ofString());
		try {
			HttpResponse<String> refused = awaitStatus("/edge/", 503);
			assertThat(refused.statusCode()).isEqualTo(503);
			assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(
					(seconds) -> assertThat(Long.parseLong(seconds)).isPositive());
		}
		finally {
			Files.createFile(gate);
		}
		assertThat(holding.get(60, TimeUnit.SECONDS).body()).isEqualTo("released");
	}

	@Test
	void bodyOverTheLimitIs413BeforeTheAppRuns() throws Exception {
		HttpResponse<String> response = this.client.send(HttpRequest.newBuilder(uri("/edge/echo"))
			.POST(HttpRequest.BodyPublishers.ofByteArray(new byte[2048]))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(413);
	}

	@Test
	void requestPastTheTimeoutIs504AndTheAppAnswersAgain() throws Exception {
		HttpResponse<String> response = get("/edge/spin");
		assertThat(response.statusCode()).isEqualTo(504);
		// A fresh context takes over once the cancelled one is replaced.
		assertThat(awaitBody("/edge/", "edge").statusCode()).isEqualTo(200);
	}

	@Test
	void debugAppSendsItsTracebackIn500() throws Exception {
		HttpResponse<String> response = get("/edge/raises");
		assertThat(response.statusCode()).isEqualTo(500);
		assertThat(response.body()).contains("LookupError: edge app failed on purpose", "Traceback");
	}

	@Test
	void clientThatGoesAwayMidResponseGetsTheIterableClosed() throws Exception {
		Path marker = this.temp.resolve("closed");
		HttpResponse<InputStream> response = this.client
			.send(HttpRequest.newBuilder(uri("/edge/endless?" + marker)).build(), HttpResponse.BodyHandlers.ofInputStream());
		try (InputStream body = response.body()) {
			assertThat(body.readNBytes(100_000)).hasSize(100_000);
		}
		// The edge app's only context is free again once the iterable was closed.
		HttpResponse<String> closed = awaitBody("/edge/exists?" + marker, "yes");
		assertThat(closed.statusCode()).isEqualTo(200);
	}

	@Test
	void clientThatStopsReadingIsCutOffAtTheTimeoutAndTheContextServesAgain() throws Exception {
		Path marker = this.temp.resolve("abandoned-stream");
		// The edge app's only context may still be busy after another test's timeout.
		awaitBody("/edge/", "edge");
		try (Socket socket = new Socket()) {
			// Small buffers, so the server's writes soon wait for a client that reads nothing.
			socket.setReceiveBufferSize(64 * 1024);
			socket.connect(new InetSocketAddress("localhost", this.port));
			socket.setSoTimeout(60_000);
			socket.getOutputStream()
				.write(("GET /edge/endless?" + marker + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			assertThat(readLine(socket.getInputStream())).startsWith("HTTP/1.1 200");

			// The edge app's only context is free again once the request timeout cut the stream off.
			assertThat(awaitBody("/edge/", "edge").statusCode()).isEqualTo(200);
			assertThat(awaitBody("/edge/exists?" + marker, "yes").statusCode()).isEqualTo(200);
		}
	}

	@Test
	void slowUploadDoesNotHoldAContext() throws Exception {
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.setSoTimeout(60_000);
			OutputStream out = socket.getOutputStream();
			InputStream in = socket.getInputStream();
			out.write(("POST /edge/echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n"
					+ "Expect: 100-continue\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			// Sent once the server reads the body.
			assertThat(readLine(in)).startsWith("HTTP/1.1 100");
			String header;
			do {
				header = readLine(in);
			}
			while (!header.equals("\r"));
			out.write("a\r\n0123456789\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();

			// The edge app has one context and answers 503 when it is busy for 300 ms.
			HttpResponse<String> meanwhile = get("/edge/");
			assertThat(meanwhile.statusCode()).isEqualTo(200);

			out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
			assertThat(response).startsWith("HTTP/1.1 200");
			assertThat(response.substring(response.indexOf("\r\n\r\n"))).contains("0123456789");
		}
	}

	@Test
	void uploadSlowerThanTheRequestTimeoutGets408() throws Exception {
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.setSoTimeout(60_000);
			socket.getOutputStream()
				.write(("POST /edge/echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
						+ "a\r\n0123456789\r\n").getBytes(StandardCharsets.US_ASCII));
			// The rest of the body never comes.
			assertThat(readLine(socket.getInputStream())).startsWith("HTTP/1.1 408");
		}
	}

	@Test
	void debugAppReloadsWhenAFileInItsDirectoryChanges() throws Exception {
		HostedApp app = this.hostedApps.apps()
			.stream()
			.filter((candidate) -> candidate.name().equals("edge"))
			.findFirst()
			.orElseThrow();
		DebugReloadCheck.assertReloadsWhenAFileChanges(app, () -> get("/edge/loaded").body());
	}

	private HttpResponse<String> awaitStatus(String path, int status) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		HttpResponse<String> response;
		do {
			response = get(path);
		}
		while (response.statusCode() != status && System.nanoTime() < deadline);
		return response;
	}

	private HttpResponse<String> awaitBody(String path, String body) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		HttpResponse<String> response;
		do {
			response = get(path);
		}
		while (!response.body().equals(body) && System.nanoTime() < deadline);
		assertThat(response.body()).isEqualTo(body);
		return response;
	}

	private static String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		int b;
		while ((b = in.read()) >= 0 && b != '\n') {
			line.append((char) b);
		}
		return line.toString();
	}

}
