package io.springwsgi.boot;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.springwsgi.boot.apps.HostedApp;
import io.springwsgi.boot.apps.HostedApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A FastAPI 0.92 app served over ASGI ({@code protocol: asgi}) in a running server, over real
 * HTTP and WebSocket clients.
 */
@SpringBootTest(classes = TestService.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("asgi")
class AsgiEndToEndTests {

	/** A valid Sec-WebSocket-Key: the base64 of 16 bytes (RFC 6455, 4.1). */
	private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private final JsonMapper json = new JsonMapper();

	@LocalServerPort
	private int port;

	@Autowired
	private HostedApps hostedApps;

	@TempDir
	Path temp;

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60));
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.client.send(request(path).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void scopeFollowsTheAsgiSpecWithTheMountPathAsRootPath() throws Exception {
		HttpResponse<String> response = this.client.send(request("/fastapi/scope?q=1%202")
			.header("X-Repeated", "one")
			.header("X-Repeated", "two")
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode scope = this.json.readTree(response.body());
		assertThat(scope.get("type").asString()).isEqualTo("http");
		assertThat(scope.get("asgi").get("version").asString()).isEqualTo("3.0");
		assertThat(scope.get("http_version").asString()).isEqualTo("1.1");
		assertThat(scope.get("method").asString()).isEqualTo("GET");
		assertThat(scope.get("scheme").asString()).isEqualTo("http");
		assertThat(scope.get("root_path").asString()).isEqualTo("/fastapi");
		// root-path-in-path not set: detected from the app's Starlette 0.26, which routes without root_path
		assertThat(scope.get("path").asString()).isEqualTo("/scope");
		assertThat(scope.get("raw_path").asString()).isEqualTo("/fastapi/scope");
		assertThat(scope.get("query_string").asString()).isEqualTo("q=1%202");
		assertThat(scope.get("headers").toString()).contains("[\"x-repeated\",\"one\"]", "[\"x-repeated\",\"two\"]");
		assertThat(scope.get("client").get(0).asString()).isEqualTo("127.0.0.1");
		assertThat(scope.get("server").get(1).asInt()).isEqualTo(this.port);
		assertThat(scope.get("url").asString()).isEqualTo("http://localhost:" + this.port + "/fastapi/scope?q=1%202");
	}

	@Test
	void pydanticModelsValidateRequestBodies() throws Exception {
		HttpResponse<String> created = post("/fastapi/items", "{\"name\": \"pen\", \"price\": 1.5}");
		HttpResponse<String> invalid = post("/fastapi/items", "{\"name\": \"pen\"}");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		assertThat(created.body()).isEqualTo("{\"name\":\"pen\",\"price\":1.5}");
		assertThat(invalid.statusCode()).isEqualTo(422);
		assertThat(invalid.body()).contains("\"loc\":[\"body\",\"price\"]");
	}

	private HttpResponse<String> post(String path, String body) throws Exception {
		return this.client.send(request(path)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void statusCodesAndHeadersReachTheClient() throws Exception {
		HttpResponse<String> response = get("/fastapi/status/418");
		assertThat(response.statusCode()).isEqualTo(418);
		assertThat(response.headers().firstValue("X-Custom")).hasValue("custom value");
		assertThat(response.body()).isEqualTo("status 418");
	}

	@Test
	void streamedRequestBodyIsEchoedBack() throws Exception {
		List<byte[]> parts = List.of("alpha ".getBytes(), "beta ".getBytes(), "gamma".getBytes());
		HttpResponse<String> response = this.client.send(
				request("/fastapi/echo").POST(HttpRequest.BodyPublishers.ofByteArrays(parts)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("alpha beta gamma");
	}

	@Test
	void largeUploadReachesTheAppWholeInManyChunks() throws Exception {
		long size = 32L * 1024 * 1024;
		MessageDigest digest = MessageDigest.getInstance("SHA-256");
		Supplier<InputStream> body = () -> new PatternStream(size, digest);
		HttpResponse<String> response = this.client.send(
				request("/fastapi/digest").POST(HttpRequest.BodyPublishers.ofInputStream(body)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode result = this.json.readTree(response.body());
		assertThat(result.get("size").asLong()).isEqualTo(size);
		assertThat(result.get("sha256").asString()).isEqualTo(HexFormat.of().formatHex(digest.digest()));
		assertThat(result.get("chunks").asInt()).isGreaterThan(1);
	}

	@Test
	void largeResponseArrivesWhole() throws Exception {
		HttpResponse<byte[]> response = this.client.send(request("/fastapi/large?mb=16").build(),
				HttpResponse.BodyHandlers.ofByteArray());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).hasSize(16 * 1024 * 1024);
		assertThat(response.body()[1024 * 1024 + 7]).isEqualTo((byte) 7);
	}

	@Test
	void requestsAwaitingInOneContextAreInFlightTogether() throws Exception {
		List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			responses.add(this.client.sendAsync(request("/fastapi/sleep").build(),
					HttpResponse.BodyHandlers.ofString()));
		}
		double latestStart = 0;
		double earliestEnd = Double.MAX_VALUE;
		for (CompletableFuture<HttpResponse<String>> response : responses) {
			JsonNode interval = this.json.readTree(response.get(60, TimeUnit.SECONDS).body());
			latestStart = Math.max(latestStart, interval.get("start").asDouble());
			earliestEnd = Math.min(earliestEnd, interval.get("end").asDouble());
		}
		// pool.size is 1: every request had started its 1 s sleep before the first one ended.
		assertThat(latestStart).isLessThan(earliestEnd);
	}

	@Test
	void syncEndpointRunsOnAWorkerThread() throws Exception {
		HttpResponse<String> response = get("/fastapi/sync");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.body()).doesNotContain("asgi-event-loop");
	}

	@Test
	void stateSetAtLifespanStartupIsVisibleToRequests() throws Exception {
		assertThat(get("/fastapi/state").body()).isEqualTo("{\"started\":\"by lifespan startup\"}");
	}

	@Test
	void streamingResponseReachesTheClientBeforeItEnds() throws Exception {
		Path gate = this.temp.resolve("gate");
		HttpResponse<InputStream> response = this.client.send(
				request("/fastapi/stream?gate=" + gate).build(),
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
	void serverSentEventsReachTheClientOneByOne() throws Exception {
		Path gate = this.temp.resolve("sse-gate");
		HttpResponse<InputStream> response = this.client.send(
				request("/fastapi/sse?gate=" + gate).header("Accept", "text/event-stream").build(),
				HttpResponse.BodyHandlers.ofInputStream());
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/event-stream"));
		try (InputStream body = response.body()) {
			assertThat(readLine(body)).isEqualTo("event: tick");
			assertThat(readLine(body)).isEqualTo("data: 0");
			Files.createFile(gate);
			assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8))
				.isEqualTo("\nevent: tick\ndata: 1\n\nevent: tick\ndata: 2\n\n");
		}
	}

	@Test
	void clientGoingAwayEndsTheStreamingResponse() throws Exception {
		CompletableFuture<HttpResponse<String>> disconnected = this.client.sendAsync(
				request("/fastapi/disconnected").build(), HttpResponse.BodyHandlers.ofString());
		HttpClient streaming = HttpClient.newHttpClient();
		HttpResponse<InputStream> response = streaming.send(request("/fastapi/endless").build(),
				HttpResponse.BodyHandlers.ofInputStream());
		try (InputStream body = response.body()) {
			assertThat(readLine(body)).isEqualTo("tick");
		}
		streaming.close();
		// /disconnected answers once the endless generator has been stopped.
		assertThat(disconnected.get(60, TimeUnit.SECONDS).body()).isEqualTo("{\"disconnected\":true}");
	}

	@Test
	void exceptionBeforeTheResponseIs500() throws Exception {
		HttpResponse<String> response = get("/fastapi/raise");
		assertThat(response.statusCode()).isEqualTo(500);
	}

	@Test
	void exceptionAfterTheResponseStartedAbortsTheConnection() throws Exception {
		try (Socket socket = new Socket("localhost", this.port)) {
			// A guard against a hang, which is what this test must tell apart from an abort.
			socket.setSoTimeout(60_000);
			socket.getOutputStream()
				.write("GET /fastapi/raise-midway HTTP/1.1\r\nHost: localhost\r\n\r\n"
					.getBytes(StandardCharsets.US_ASCII));
			ByteArrayOutputStream received = new ByteArrayOutputStream();
			try {
				socket.getInputStream().transferTo(received);
			}
			catch (SocketException ex) {
				// A reset is an abort too.
			}
			String response = received.toString(StandardCharsets.ISO_8859_1);
			assertThat(response).startsWith("HTTP/1.1 200").contains("partial");
			// The body was cut off: no last chunk, so the client cannot take it for a whole one.
			assertThat(response).doesNotEndWith("0\r\n\r\n");
		}
	}

	@Test
	void webSocketEchoesTextAndBinaryFramesAndClosesWithTheAppsCode() throws Exception {
		RecordingListener listener = new RecordingListener();
		WebSocket socket = this.client.newWebSocketBuilder()
			.buildAsync(URI.create("ws://localhost:" + this.port + "/fastapi/ws"), listener)
			.get(60, TimeUnit.SECONDS);
		JsonNode scope = this.json.readTree((String) listener.next());
		assertThat(scope.get("path").asString()).isEqualTo("/ws");
		assertThat(scope.get("root_path").asString()).isEqualTo("/fastapi");
		assertThat(scope.get("scheme").asString()).isEqualTo("ws");
		socket.sendText("hello", true).get(10, TimeUnit.SECONDS);
		assertThat(listener.next()).isEqualTo("echo: hello");
		socket.sendBinary(ByteBuffer.wrap(new byte[] { 1, 2, 3 }), true).get(10, TimeUnit.SECONDS);
		assertThat(listener.next()).isEqualTo(List.of((byte) 3, (byte) 2, (byte) 1));
		socket.sendText("close", true).get(10, TimeUnit.SECONDS);
		assertThat(listener.next()).isEqualTo("closed 4000");
	}

	@Test
	void webSocketMessageUpToTheConfiguredSizeIsEchoed() throws Exception {
		// The asgi profile sets max-message-size 256KB for this app; the default is 64KB.
		String text = "x".repeat(100 * 1024);
		RecordingListener listener = new RecordingListener();
		WebSocket socket = this.client.newWebSocketBuilder()
			.buildAsync(URI.create("ws://localhost:" + this.port + "/fastapi/ws"), listener)
			.get(60, TimeUnit.SECONDS);
		listener.next();
		socket.sendText(text, true).get(10, TimeUnit.SECONDS);
		assertThat(listener.next()).isEqualTo("echo: " + text);
		socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
	}

	@Test
	void clientCloseCodeReachesTheApp() throws Exception {
		CompletableFuture<HttpResponse<String>> closed = this.client.sendAsync(request("/fastapi/websocket-closed").build(),
				HttpResponse.BodyHandlers.ofString());
		RecordingListener listener = new RecordingListener();
		WebSocket socket = this.client.newWebSocketBuilder()
			.buildAsync(URI.create("ws://localhost:" + this.port + "/fastapi/ws"), listener)
			.get(60, TimeUnit.SECONDS);
		listener.next();
		socket.sendClose(4001, "bye").get(10, TimeUnit.SECONDS);
		assertThat(closed.get(60, TimeUnit.SECONDS).body()).isEqualTo("{\"code\":4001}");
	}

	@Test
	void webSocketClosedBeforeAcceptIsRefusedWith403() {
		CompletableFuture<WebSocket> refused = this.client.newWebSocketBuilder()
			.buildAsync(URI.create("ws://localhost:" + this.port + "/fastapi/ws-refused"), new RecordingListener());
		assertThat(refused).failsWithin(60, TimeUnit.SECONDS)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOfSatisfying(WebSocketHandshakeException.class,
					(failure) -> assertThat(failure.getResponse().statusCode()).isEqualTo(403));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "no key, GET, Upgrade, , 13, 400", "POST, POST, Upgrade, " + KEY + ", 13, 405",
			"version 8, GET, Upgrade, " + KEY + ", 8, 426", "no upgrade in Connection, GET, keep-alive, " + KEY
					+ ", 13, 400" })
	void malformedWebSocketHandshakesAreRefusedWithoutReachingTheApp(String problem, String method, String connection,
			String key, String version, int status) throws Exception {
		int entered = webSockets("entered", "ws-probe");
		try (Socket socket = webSocketHandshake(method, "/fastapi/ws-probe", connection, key, version)) {
			assertThat(readLine(socket.getInputStream())).startsWith("HTTP/1.1 " + status);
		}
		assertThat(webSockets("entered", "ws-probe")).isEqualTo(entered);
	}

	@Test
	void clientLeavingBeforeAcceptEndsTheAppsConnection() throws Exception {
		try (Socket socket = webSocketHandshake("GET", "/fastapi/ws-late", "Upgrade", KEY, "13")) {
			awaitWebSocketsOpen("ws-late", 1);
		}
		assertThat(get("/fastapi/ws-late/release").statusCode()).isEqualTo(200);
		awaitWebSocketsOpen("ws-late", 0);
	}

	@Test
	void webSocketHandshakeTheAppDoesNotAnswerInTimeIs504() throws Exception {
		try (Socket socket = webSocketHandshake("GET", "/asgi-edge/ws-never", "Upgrade", KEY, "13")) {
			assertThat(readLine(socket.getInputStream())).startsWith("HTTP/1.1 504");
		}
		assertThat(awaitBodyContaining("/asgi-edge/seen", "handshakes_given_up=1")).isNotNull();
	}

	/**
	 * A raw WebSocket handshake, sent and left open; reads time out after 60 s, a hang guard.
	 */
	private Socket webSocketHandshake(String method, String path, String connection, String key, String version)
			throws IOException {
		StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n"
				+ "Upgrade: websocket\r\nConnection: " + connection + "\r\nSec-WebSocket-Version: " + version + "\r\n");
		if (key != null) {
			request.append("Sec-WebSocket-Key: ").append(key).append("\r\n");
		}
		Socket socket = new Socket("localhost", this.port);
		socket.setSoTimeout(60_000);
		socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
		return socket;
	}

	/** How many WebSockets of a route of the FastAPI app it has {@code entered}, or is still {@code open}. */
	private int webSockets(String count, String route) throws Exception {
		return this.json.readTree(get("/fastapi/ws-open").body()).get(count).get(route).asInt();
	}

	private void awaitWebSocketsOpen(String route, int open) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (webSockets("open", route) != open && System.nanoTime() < deadline) {
			TimeUnit.MILLISECONDS.sleep(50);
		}
		assertThat(webSockets("open", route)).isEqualTo(open);
	}

	@Test
	void webSocketSubprotocolChosenByTheAppReachesTheClient() throws Exception {
		RecordingListener listener = new RecordingListener();
		WebSocket socket = this.client.newWebSocketBuilder()
			.subprotocols("chat", "superchat")
			.buildAsync(URI.create("ws://localhost:" + this.port + "/fastapi/ws-subprotocol"), listener)
			.get(60, TimeUnit.SECONDS);
		assertThat(socket.getSubprotocol()).isEqualTo("superchat");
		JsonNode offered = this.json.readTree((String) listener.next());
		assertThat(offered.get("offered").toString()).isEqualTo("[\"chat\",\"superchat\"]");
	}

	@Test
	void slowClientHoldsBackAStreamingResponse() throws Exception {
		long size = 128L * 1024 * 1024;
		try (Socket socket = new Socket()) {
			socket.setReceiveBufferSize(64 * 1024);
			socket.connect(new InetSocketAddress("localhost", this.port));
			socket.getOutputStream()
				.write(("GET /fastapi/produce?mb=" + size / (1024 * 1024) + " HTTP/1.1\r\nHost: localhost\r\n"
						+ "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			InputStream response = socket.getInputStream();
			assertThat(readLine(response)).startsWith("HTTP/1.1 200");
			// The client reads no further: the app's sends must wait for it.
			long produced = awaitProducedSettles();
			assertThat(produced).as("bytes the app sent while its client read nothing").isLessThan(size / 8);
			long read = response.transferTo(OutputStream.nullOutputStream());
			assertThat(read).isGreaterThan(size);
		}
		assertThat(this.json.readTree(get("/fastapi/produced").body()).get("bytes").asLong()).isEqualTo(size);
	}

	/** What the app has sent once a second passes without it sending more. */
	private long awaitProducedSettles() throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		long last = -1;
		while (System.nanoTime() < deadline) {
			// Answers as soon as the count differs from last, or after a second without progress.
			long current = this.json.readTree(get("/fastapi/produced?unchanged_from=" + last).body())
				.get("bytes")
				.asLong();
			if (current == last && current > 0) {
				return current;
			}
			last = current;
		}
		throw new AssertionError("the app never stopped sending; last count " + last);
	}

	@Test
	void requestThatDoesNotStartItsResponseInTimeIs504AndItsTaskIsCancelled() throws Exception {
		HttpResponse<String> response = get("/asgi-edge/hang");
		assertThat(response.statusCode()).isEqualTo(504);
		assertThat(response.body()).contains("App 'asgi-edge' did not start its response within PT2S");
		assertThat(awaitBodyContaining("/asgi-edge/seen", "cancelled=1")).isNotNull();
	}

	@Test
	void eventLoopBlockedPastTheTimeoutIs504AndTheContextIsReplaced() throws Exception {
		String loaded = get("/asgi-wedge/loaded").body();
		assertThat(get("/asgi-wedge/spin").statusCode()).isEqualTo(504);
		// 504s, then 503s while the new context loads.
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
		HttpResponse<String> response = get("/asgi-wedge/loaded");
		while (response.statusCode() != 200 && System.nanoTime() < deadline) {
			TimeUnit.MILLISECONDS.sleep(50);
			response = get("/asgi-wedge/loaded");
		}
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isNotEqualTo(loaded);
	}

	@Test
	void chunkedBodyPastTheLimitIs413AndTheAppSeesTheClientGo() throws Exception {
		try (Socket socket = new Socket("localhost", this.port)) {
			StringBuilder request = new StringBuilder("POST /asgi-edge/upload HTTP/1.1\r\nHost: localhost\r\n"
					+ "Transfer-Encoding: chunked\r\n\r\n");
			for (int i = 0; i < 4; i++) {
				request.append("400\r\n").append("x".repeat(1024)).append("\r\n");
			}
			socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
			assertThat(readLine(socket.getInputStream())).startsWith("HTTP/1.1 413");
		}
		assertThat(awaitBodyContaining("/asgi-edge/seen", "disconnected=1")).isNotNull();
	}

	@Test
	void chunkedBodyWithinTheLimitReachesTheApp() throws Exception {
		HttpResponse<String> response = this.client.send(request("/asgi-edge/upload")
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[1000])))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("1000");
	}

	@Test
	void poolGaugesReadTheAsgiAppsContexts() throws Exception {
		assertThat(gauge("wsgi.pool.size", "fastapi")).isEqualTo(1.0);
		assertThat(gauge("wsgi.pool.ready", "fastapi")).isEqualTo(1.0);
		assertThat(gauge("wsgi.pool.waiting", "fastapi")).isEqualTo(0.0);
	}

	private double gauge(String name, String app) throws Exception {
		HttpResponse<String> response = get("/actuator/metrics/" + name + "?tag=app:" + app);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return this.json.readTree(response.body()).get("measurements").get(0).get("value").asDouble();
	}

	@Test
	void debugAsgiAppReloadsWhenAFileInItsDirectoryChanges() throws Exception {
		HostedApp app = this.hostedApps.apps()
			.stream()
			.filter((candidate) -> candidate.name().equals("asgi-edge"))
			.findFirst()
			.orElseThrow();
		DebugReloadCheck.assertReloadsWhenAFileChanges(app, () -> get("/asgi-edge/loaded").body());
	}

	private String awaitBodyContaining(String path, String text) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		String current;
		do {
			current = get(path).body();
		}
		while (!current.contains(text) && System.nanoTime() < deadline);
		assertThat(current).contains(text);
		return current;
	}

	/** Collects what a WebSocket receives: texts, binary payloads as byte lists, and the close. */
	private static final class RecordingListener implements WebSocket.Listener {

		private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();

		private final StringBuilder text = new StringBuilder();

		private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

		Object next() throws InterruptedException {
			Object next = this.received.poll(60, TimeUnit.SECONDS);
			assertThat(next).as("a message within 60 s").isNotNull();
			return next;
		}

		@Override
		public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
			this.text.append(data);
			if (last) {
				this.received.add(this.text.toString());
				this.text.setLength(0);
			}
			socket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
			byte[] bytes = new byte[data.remaining()];
			data.get(bytes);
			this.binary.writeBytes(bytes);
			if (last) {
				List<Byte> payload = new ArrayList<>();
				for (byte b : this.binary.toByteArray()) {
					payload.add(b);
				}
				this.received.add(payload);
				this.binary.reset();
			}
			socket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
			this.received.add("closed " + statusCode);
			return null;
		}

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
