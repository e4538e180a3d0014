package io.springwsgi.core.asgi;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.springwsgi.core.app.AppDirectories;
import io.springwsgi.core.app.AppLoadException;
import io.springwsgi.core.app.PythonApp;
import io.springwsgi.core.http.RecordingSink;
import io.springwsgi.core.http.RequestHead;
import io.springwsgi.core.python.HostServices;
import io.springwsgi.core.python.PythonEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A plain ASGI app (no framework) on one context with its event loop.
 */
class AsgiApplicationTests {

	private static final Path DIRECTORY = AppDirectories.resolve("classpath:apps",
			AsgiApplicationTests.class.getClassLoader());

	private static PythonEngine engine;

	private static AsgiApplication app;

	@BeforeAll
	static void startApp() {
		engine = PythonEngine.create();
		app = start("asgi", "app", AsgiOptions.mountedAt("/asgi"));
	}

	@AfterAll
	static void closeApp() {
		app.close();
		engine.close();
	}

	private static AsgiApplication start(String name, String callable, AsgiOptions options) {
		AsgiApplication application = new AsgiApplication(engine, PythonApp.of(name, DIRECTORY, "asgi_app", callable),
				HostServices.NONE, 1, options);
		application.start();
		return application;
	}

	private static RequestHead request(String method, String path, Map.Entry<String, String>... headers) {
		int question = path.indexOf('?');
		List<Map.Entry<String, String>> all = new ArrayList<>();
		all.add(Map.entry("Host", "localhost:8080"));
		all.addAll(List.of(headers));
		return new RequestHead(method, "http", (question < 0) ? path : path.substring(0, question),
				(question < 0) ? null : path.substring(question + 1), "HTTP/1.1", all, "localhost", 8080, "127.0.0.1",
				50000);
	}

	private static RecordingSink exchange(AsgiApplication application, RequestHead request, ChunkPublisher body) {
		RecordingSink sink = new RecordingSink();
		application.handle(request, body, sink);
		return sink.awaitEnd();
	}

	private static RecordingSink get(String path) {
		return exchange(app, request("GET", path), new ChunkPublisher());
	}

	@Test
	void scopeCarriesTheRequestAndTheLifespanState() {
		// No Starlette in this app: the detected convention is the spec's, path includes root_path.
		RecordingSink sink = get("/asgi/scope?a=1&b=%20");
		assertThat(sink.status).isEqualTo(200);
		assertThat(sink.bodyText()).contains("\"type\": \"http\"", "\"asgi\": {\"version\": \"3.0\"",
				"\"method\": \"GET\"", "\"path\": \"/asgi/scope\"", "\"root_path\": \"/asgi\"",
				"\"query_string\": \"a=1&b=%20\"", "[\"host\", \"localhost:8080\"]", "\"client\": [\"127.0.0.1\", 50000]",
				"\"server\": [\"localhost\", 8080]", "\"state\": {\"started\": \"yes\"}");
	}

	@Test
	void requestsInOneContextAreInFlightTogether() {
		List<RecordingSink> sinks = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			RecordingSink sink = new RecordingSink();
			app.handle(request("GET", "/asgi/gather?n=20"), new ChunkPublisher(), sink);
			sinks.add(sink);
		}
		// Each request answers "together" only once all 20 are waiting in the app at once.
		assertThat(sinks).allSatisfy((sink) -> assertThat(sink.awaitEnd().bodyText()).isEqualTo("together"));
	}

	@Test
	void resultsOfWorkerThreadsWakeTheEventLoop() {
		List<RecordingSink> sinks = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			RecordingSink sink = new RecordingSink();
			app.handle(request("GET", "/asgi/threads"), new ChunkPublisher(), sink);
			sinks.add(sink);
		}
		// 50 thread hops per request: sum(i + 1 for i in range(50)).
		assertThat(sinks).allSatisfy((sink) -> assertThat(sink.awaitEnd().bodyText()).isEqualTo("1275"));
	}

	@Test
	void appCanUseSocketsOfItsOwnOnTheEventLoop() {
		RecordingSink sink = get("/asgi/socket");
		assertThat(sink.status).isEqualTo(200);
		assertThat(sink.bodyText()).isEqualTo("OVER A SOCKET");
	}

	@Test
	void requestBodyArrivesInChunksPulledAsTheAppReceives() {
		ChunkPublisher body = new ChunkPublisher("one,", "two,", "three");
		RecordingSink sink = exchange(app, request("POST", "/asgi/echo"), body);
		assertThat(sink.bodyText()).isEqualTo("one,two,three");
		assertThat(body.requested).isEqualTo(4);
	}

	@Test
	void wholeResponseReachesTheSinkAtOnce() {
		RecordingSink sink = get("/asgi/scope");
		assertThat(sink.events).containsExactly("respond 200");
		assertThat(sink.header("content-type")).isEqualTo("text/plain");
	}

	@Test
	void headRequestGetsTheHeadWithoutTheBody() {
		RecordingSink sink = exchange(app, request("HEAD", "/asgi/scope"), new ChunkPublisher());
		assertThat(sink.events).containsExactly("start 200", "complete");
	}

	@Test
	void responseBodyChunksReachTheSinkOneByOne() {
		RecordingSink sink = get("/asgi/chunks");
		assertThat(sink.events).containsExactly("start 200", "write 8", "write 8", "write 8", "complete");
	}

	@Test
	void clientDisconnectReachesReceiveAsHttpDisconnect() throws Exception {
		RecordingSink sink = new RecordingSink();
		AsgiHttpExchange exchange = app.handle(request("GET", "/asgi/disconnect"), new ChunkPublisher(), sink);
		sink.firstChunk.get(60, TimeUnit.SECONDS);
		exchange.disconnect();
		// The app only returns once receive() has told it the client is gone.
		exchange.done().get(60, TimeUnit.SECONDS);
		assertThat(app.pool().statistics().active()).isZero();
	}

	@Test
	void bodyPastTheLimitWithoutContentLengthIs413AndTheAppSeesTheClientGo() throws Exception {
		AsgiApplication limited = start("asgi-limited", "app", AsgiOptions.mountedAt("/asgi").withMaxBodySize(8));
		try {
			RecordingSink sink = new RecordingSink();
			AsgiHttpExchange exchange = limited.handle(request("POST", "/asgi/echo"),
					new ChunkPublisher("12345", "67890"), sink);
			// The app only returns once receive() has told it the client is gone.
			exchange.done().get(60, TimeUnit.SECONDS);
			assertThat(sink.awaitEnd().status).isEqualTo(413);
			assertThat(sink.bodyText()).contains("exceeds the limit of 8 bytes");
		}
		finally {
			limited.close();
		}
	}

	@Test
	void requestsGoOnAcrossAReloadOfTheApp() throws Exception {
		AsgiApplication old = start("asgi-reloaded", "app", AsgiOptions.mountedAt("/asgi"));
		AtomicReference<AsgiApplication> current = new AtomicReference<>(old);
		CompletableFuture<Void> reload = CompletableFuture.runAsync(() -> {
			AsgiApplication fresh = start("asgi-reloaded", "app", AsgiOptions.mountedAt("/asgi"));
			current.getAndSet(fresh).close(Duration.ofSeconds(60));
		});
		try {
			int i = 0;
			for (boolean reloaded = false; !reloaded || i < 20; i++) {
				reloaded = reload.isDone();
				RecordingSink sink = new RecordingSink();
				current.get().handle(request("GET", "/asgi/scope"), new ChunkPublisher(), sink);
				assertThat(sink.done).as("request " + i + (reloaded ? " after" : " during") + " the reload")
					.succeedsWithin(Duration.ofSeconds(20));
			}
		}
		finally {
			reload.get(120, TimeUnit.SECONDS);
			current.get().close();
		}
	}

	@Test
	void pathIsWithoutRootPathWhenTheAppLoadedStarletteBefore033() {
		assertThat(pathSeenByStarletteBasedApp(AsgiOptions.mountedAt("/starlette"))).isEqualTo("/items");
	}

	@Test
	void configuredPathConventionWinsOverTheDetectedOne() {
		AsgiOptions options = AsgiOptions.mountedAt("/starlette").withRootPathInPath(RootPathInPath.INCLUDED);
		assertThat(pathSeenByStarletteBasedApp(options)).isEqualTo("/starlette/items");
	}

	@Test
	void anyioWorkerThreadsServeOneRequestAfterAnother() {
		List<String> calls = starletteBasedApp(AsgiOptions.mountedAt("/starlette"), (application) -> {
			List<String> answers = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				answers.add(exchange(application, request("GET", "/starlette/anyio-worker"), new ChunkPublisher()).bodyText());
			}
			return answers;
		});
		// One worker kept between requests, as under uvicorn; a new thread for each would say 1, 1, 1.
		assertThat(calls).containsExactly("1", "2", "3");
	}

	private static String pathSeenByStarletteBasedApp(AsgiOptions options) {
		return starletteBasedApp(options,
				(application) -> exchange(application, request("GET", "/starlette/items"), new ChunkPublisher()).bodyText());
	}

	private static <T> T starletteBasedApp(AsgiOptions options, Function<AsgiApplication, T> use) {
		Path sitePackages = Path
			.of(System.getProperty("springwsgi.python.site-packages", "/usr/lib/python3/dist-packages"));
		AsgiApplication starletteBased = new AsgiApplication(engine,
				PythonApp.of("starlette-based", DIRECTORY, "starlette_based", "app")
					.withPythonPath(List.of(sitePackages)),
				HostServices.NONE, 1, options);
		try {
			starletteBased.start();
			return use.apply(starletteBased);
		}
		finally {
			starletteBased.close();
		}
	}

	@Test
	void exceptionBeforeResponseStartIs500() {
		RecordingSink sink = get("/asgi/raise");
		assertThat(sink.status).isEqualTo(500);
		assertThat(sink.bodyText()).doesNotContain("ValueError");
	}

	@Test
	void exceptionAfterResponseStartAbortsTheResponse() {
		RecordingSink sink = get("/asgi/raise-after-start");
		assertThat(sink.events).containsExactly("start 200", "write 7", "abort");
		assertThat(sink.abortCause).hasMessageContaining("ValueError: after the response started");
	}

	@Test
	void returningWithoutCompletingTheResponseAbortsItNamingTheRule() {
		RecordingSink sink = get("/asgi/incomplete");
		assertThat(sink.events).containsExactly("start 200", "abort");
		assertThat(sink.abortCause).hasMessageContaining("more_body is False");
	}

	@Test
	void bytesPastTheContentLengthAreNotSent() {
		RecordingSink sink = get("/asgi/overlong");
		assertThat(sink.bodyText()).isEqualTo("abcde");
		assertThat(sink.events).containsExactly("start 200", "write 3", "write 2", "complete");
	}

	@Test
	void responseShorterThanItsContentLengthIsAborted() {
		RecordingSink sink = get("/asgi/short");
		assertThat(sink.events).containsExactly("start 200", "write 3", "write 2", "abort");
		assertThat(sink.abortCause).hasMessageContaining("sent 5 of the 10 bytes its Content-Length declared");
	}

	@ParameterizedTest(name = "{0} breaks \"{1}\"")
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			newline           | holds a control character       | RFC 9110 §5.5
			return            | holds a control character       | RFC 9110 §5.5
			name              | 'bad name' is not a token       | RFC 9110 §5.1
			transfer-encoding | hop-by-hop header 'transfer-encoding' | RFC 9110 §7.6.1
			connection        | hop-by-hop header 'connection'  | RFC 9110 §7.6.1
			content-length    | Content-Length '-1' is not a number of bytes | RFC 9110 §8.6
			""")
	void responseHeaderThatBreaksHttpIs500NamingTheRule(String badHeader, String rule, String section) {
		Logger appLogger = (Logger) LoggerFactory.getLogger("io.springwsgi.app.asgi");
		ListAppender<ILoggingEvent> appLog = new ListAppender<>();
		appLog.start();
		appLogger.addAppender(appLog);
		try {
			RecordingSink sink = get("/asgi/header?case=" + badHeader);
			assertThat(sink.events).containsExactly("respond 500");
			assertThat(sink.headers).extracting(Map.Entry::getKey)
				.doesNotContain("Set-Cookie", "x-note", "bad name", "transfer-encoding", "connection");
			assertThat(appLog.list).extracting(ILoggingEvent::getFormattedMessage)
				.anySatisfy((line) -> assertThat(line).contains("App 'asgi' broke a rule of the ASGI spec", rule,
						section));
		}
		finally {
			appLogger.detachAppender(appLog);
		}
	}

	@Test
	void appWithoutLifespanSupportIsServed() {
		AsgiApplication noLifespan = start("no-lifespan", "no_lifespan", AsgiOptions.mountedAt(""));
		try {
			RecordingSink sink = exchange(noLifespan, request("GET", "/"), new ChunkPublisher());
			assertThat(sink.bodyText()).isEqualTo("no lifespan here");
		}
		finally {
			noLifespan.close();
		}
	}

	@Test
	void requestsBeyondTheInFlightLimitAre503WithRetryAfter() {
		AsgiApplication limited = start("limited", "app", AsgiOptions.mountedAt("").withMaxInFlight(1));
		try {
			RecordingSink sleeping = new RecordingSink();
			limited.handle(request("GET", "/sleep"), new ChunkPublisher(), sleeping);
			RecordingSink refused = exchange(limited, request("GET", "/sleep"), new ChunkPublisher());
			assertThat(refused.status).isEqualTo(503);
			assertThat(refused.header("Retry-After")).isEqualTo("1");
			assertThat(sleeping.awaitEnd().status).isEqualTo(200);
		}
		finally {
			limited.close();
		}
	}

	@Test
	void blockedEventLoopIsReplacedAfterItsRequestTimesOut() throws Exception {
		assertBlockedEventLoopIsReplaced("asgi-spin", "/spin");
	}

	@Test
	void eventLoopBlockedInTimeSleepIsReplacedWithoutWaitingForTheSleep() throws Exception {
		// GraalPy 25.0 cannot cancel time.sleep(<float>) before it returns: the context is given up.
		assertBlockedEventLoopIsReplaced("asgi-nap", "/nap?60");
	}

	private static void assertBlockedEventLoopIsReplaced(String name, String blockingPath) throws Exception {
		AsgiApplication blocked = start(name, "app",
				AsgiOptions.mountedAt("").withRequestTimeout(Duration.ofSeconds(1)));
		try {
			String before = exchange(blocked, request("GET", "/context"), new ChunkPublisher()).bodyText();
			RecordingSink timedOut = exchange(blocked, request("GET", blockingPath), new ChunkPublisher());
			assertThat(timedOut.status).isEqualTo(504);
			RecordingSink after = awaitStatus(blocked, "/context", 200);
			assertThat(after.bodyText()).isNotEqualTo(before);
			assertThat(blocked.pool().statistics().replaced()).isOne();
			assertThat(blocked.pool().statistics().abandoned()).isOne();
		}
		finally {
			blocked.close(Duration.ZERO);
		}
	}

	@Test
	void requestWhoseTaskIgnoresTheCancelNoLongerCountsAsInFlight() throws Exception {
		AsgiApplication stubborn = start("asgi-stubborn", "app",
				AsgiOptions.mountedAt("").withRequestTimeout(Duration.ofSeconds(1)));
		try {
			String before = exchange(stubborn, request("GET", "/context"), new ChunkPublisher()).bodyText();
			assertThat(exchange(stubborn, request("GET", "/stubborn"), new ChunkPublisher()).status).isEqualTo(504);
			long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
			while (stubborn.pool().statistics().active() > 0 && System.nanoTime() < deadline) {
				TimeUnit.MILLISECONDS.sleep(50);
			}
			assertThat(stubborn.pool().statistics().active()).isZero();
			// The loop runs: the context is kept.
			assertThat(stubborn.pool().statistics().replaced()).isZero();
			assertThat(exchange(stubborn, request("GET", "/context"), new ChunkPublisher()).bodyText()).isEqualTo(before);
		}
		finally {
			stubborn.close(Duration.ZERO);
		}
	}

	/**
	 * Ask until the app answers {@code status}: 503s and 504s come while a context is replaced.
	 */
	private static RecordingSink awaitStatus(AsgiApplication application, String path, int status)
			throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
		RecordingSink sink = exchange(application, request("GET", path), new ChunkPublisher());
		while (sink.status != status && System.nanoTime() < deadline) {
			// A refused request returns at once: pace the polling.
			TimeUnit.MILLISECONDS.sleep(50);
			sink = exchange(application, request("GET", path), new ChunkPublisher());
		}
		assertThat(sink.status).as(sink.bodyText()).isEqualTo(status);
		return sink;
	}

	@Test
	void contextIsRetiredAfterItsMaximumNumberOfRequests() throws Exception {
		AsgiApplication retiring = start("asgi-retired", "app", AsgiOptions.mountedAt("").withMaxRequests(2));
		try {
			String first = exchange(retiring, request("GET", "/context"), new ChunkPublisher()).bodyText();
			long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
			RecordingSink sink;
			do {
				// The retired context serves on until the new one is ready: no request is refused.
				sink = exchange(retiring, request("GET", "/context"), new ChunkPublisher());
				assertThat(sink.status).isEqualTo(200);
			}
			while (sink.bodyText().equals(first) && System.nanoTime() < deadline);
			assertThat(sink.bodyText()).isNotEqualTo(first);
			assertThat(retiring.pool().statistics().replaced()).isOne();
			assertThat(retiring.pool().statistics().abandoned()).isZero();
		}
		finally {
			retiring.close();
		}
	}

	@Test
	void closeReturnsByItsDeadlineWhenTheEventLoopIsBlocked() throws Exception {
		AsgiApplication blocked = start("asgi-spin-close", "app", AsgiOptions.mountedAt(""));
		RecordingSink spinning = new RecordingSink();
		blocked.handle(request("GET", "/spin"), new ChunkPublisher(), spinning);
		// Hang guard: the close gives the blocked loop 200 ms, then gives it up.
		CompletableFuture.runAsync(() -> blocked.close(Duration.ofMillis(200))).get(1, TimeUnit.MINUTES);
		assertThat(spinning.awaitEnd().status).isEqualTo(503);
	}

	@Test
	void webSocketSendsWaitForAPeerThatFellBehind() throws Exception {
		LaggingPeer peer = new LaggingPeer();
		app.websocket(request("GET", "/asgi/flood"), peer);
		peer.firstFrame.get(1, TimeUnit.MINUTES);
		// A request in the same context runs to its end: the event loop has turned since the
		// first frame, and sends that never waited would all have been made by now.
		assertThat(get("/asgi/context").status).isEqualTo(200);
		assertThat(peer.frames).hasSize(1);
		peer.catchUp();
		peer.closed.get(1, TimeUnit.MINUTES);
		assertThat(peer.frames).hasSize(100);
	}

	/** A WebSocket client that has fallen behind from the first frame on, until it catches up. */
	private static final class LaggingPeer implements WebSocketPeer {

		final List<byte[]> frames = new CopyOnWriteArrayList<>();

		final CompletableFuture<Void> firstFrame = new CompletableFuture<>();

		final CompletableFuture<Void> closed = new CompletableFuture<>();

		private volatile boolean behind = true;

		private volatile Runnable resume;

		void catchUp() {
			this.behind = false;
			Runnable waiting = this.resume;
			if (waiting != null) {
				waiting.run();
			}
		}

		@Override
		public boolean fallenBehind(Runnable resume) {
			this.resume = resume;
			return this.behind;
		}

		@Override
		public void accept(String subprotocol) {
		}

		@Override
		public void deny() {
			this.closed.complete(null);
		}

		@Override
		public void sendText(String text) {
			sendBytes(text.getBytes(StandardCharsets.UTF_8));
		}

		@Override
		public void sendBytes(byte[] bytes) {
			this.frames.add(bytes);
			this.firstFrame.complete(null);
		}

		@Override
		public void close(int code, String reason) {
			this.closed.complete(null);
		}

	}

	@Test
	void requestsInFlightTogetherGoToTheLeastLoadedOfSeveralContexts() {
		AsgiApplication twoLoops = new AsgiApplication(engine, PythonApp.of("two-loops", DIRECTORY, "asgi_app", "app"),
				HostServices.NONE, 2, AsgiOptions.mountedAt(""));
		try {
			twoLoops.start();
			List<RecordingSink> sinks = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				RecordingSink sink = new RecordingSink();
				twoLoops.handle(request("GET", "/context-later"), new ChunkPublisher(), sink);
				sinks.add(sink);
			}
			Map<String, Long> servedBy = sinks.stream()
				.map((sink) -> sink.awaitEnd().bodyText())
				.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
			// Four requests in flight at once over two event loops: two each, not four on the first.
			assertThat(servedBy).hasSize(2).allSatisfy((context, count) -> assertThat(count).isEqualTo(2L));
		}
		finally {
			twoLoops.close();
		}
	}

	@Test
	void lifespanShutdownRunsWhenTheContextsClose(@TempDir Path temp) throws Exception {
		Path marker = temp.resolve("shutdown");
		AsgiApplication closing = new AsgiApplication(engine,
				PythonApp.of("closing", DIRECTORY, "asgi_app", "app")
					.withEnvironment(Map.of("SHUTDOWN_MARKER", marker.toString())),
				HostServices.NONE, 1, AsgiOptions.mountedAt(""));
		closing.start();
		assertThat(marker).doesNotExist();
		closing.close();
		assertThat(marker).hasContent("shut down");
	}

	@Test
	void failedLifespanStartupFailsTheAppWithItsMessage() {
		assertThatExceptionOfType(AppLoadException.class)
			.isThrownBy(() -> start("failing", "failing_startup", AsgiOptions.mountedAt("")))
			.withMessageContaining("lifespan startup failed: the database is not there");
	}

}
