package io.springwsgi.boot;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.jayway.jsonpath.JsonPath;
import io.springwsgi.boot.apps.HostedApp;
import io.springwsgi.boot.apps.HostedApps;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Health, metrics and the {@code wsgi} endpoint of the running end-to-end service, over real
 * HTTP. Same set-up as {@link WsgiEndToEndTests}, so both share one application context.
 */
@SpringBootTest(classes = TestService.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("e2e")
class WsgiActuatorEndToEndTests {

	private static final Duration PATIENCE = Duration.ofSeconds(60);

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	@LocalServerPort
	private int port;

	@Autowired
	private HostedApps hostedApps;

	@Test
	void healthShowsEachAppUpWithItsPool() throws Exception {
		// The edge app's only context may still be being replaced after another test's timeout.
		String health = await("/actuator/health",
				(body) -> "UP".equals(read(body, "$.components.wsgi.components.edge.status")));
		assertThat(read(health, "$.components.wsgi.components.flask.status")).isEqualTo("UP");
		assertThat(read(health, "$.components.wsgi.components.flask.details.path")).isEqualTo("/flask");
		assertThat(read(health, "$.components.wsgi.components.flask.details.callable")).isEqualTo("app:app");
		assertThat(read(health, "$.components.wsgi.components.flask.details.pool.size")).isEqualTo(2);
		assertThat(read(health, "$.components.wsgi.components.flask.details.pool.ready")).isEqualTo(2);
		assertThat(read(health, "$.components.wsgi.components.edge.details.callable")).isEqualTo("edge:application");
		assertThat(read(health, "$.components.wsgi.components.edge.details.pool.size")).isEqualTo(1);
	}

	@Test
	void requestToAnAppIsTimedWithItsAppAndStatus() throws Exception {
		String meter = "/actuator/metrics/wsgi.requests"
				+ "?tag=app:flask&tag=status:200&tag=method:GET&tag=outcome:SUCCESS";
		double before = count(meter);
		assertThat(send(get("/flask/")).statusCode()).isEqualTo(200);
		// Recorded once the response is written, which may be a moment after the client has it.
		await(meter, (body) -> countIn(body) >= before + 1);
	}

	@Test
	void answerOfTheBridgeItselfIsTimedToo() throws Exception {
		String meter = "/actuator/metrics/wsgi.requests?tag=app:edge&tag=status:413&tag=outcome:CLIENT_ERROR";
		double before = count(meter);
		HttpResponse<String> tooLarge = send(HttpRequest.newBuilder(uri("/edge/echo"))
			.POST(HttpRequest.BodyPublishers.ofByteArray(new byte[2048])));
		assertThat(tooLarge.statusCode()).isEqualTo(413);
		await(meter, (body) -> countIn(body) >= before + 1);
	}

	@Test
	void poolSizeGaugeEqualsTheConfiguredSize() throws Exception {
		assertThat(gauge("/actuator/metrics/wsgi.pool.size?tag=app:flask")).isEqualTo(2.0);
		assertThat(gauge("/actuator/metrics/wsgi.pool.size?tag=app:edge")).isEqualTo(1.0);
	}

	@Test
	void endpointListsTheAppsWithTheirConfigurationAndPool() throws Exception {
		HttpResponse<String> response = send(get("/actuator/wsgi"));
		assertThat(response.statusCode()).isEqualTo(200);
		String apps = response.body();
		Map<String, Object> listed = JsonPath.read(apps, "$.apps");
		assertThat(listed).containsOnlyKeys("flask", "edge", "host");
		assertThat(read(apps, "$.apps.flask.path")).isEqualTo("/flask");
		assertThat(read(apps, "$.apps.flask.directory")).isEqualTo("classpath:python/flaskapp");
		assertThat(read(apps, "$.apps.flask.module")).isEqualTo("app");
		assertThat(read(apps, "$.apps.flask.protocol")).isEqualTo("wsgi");
		assertThat(read(apps, "$.apps.flask.maxBodySize")).isEqualTo("536870912B");
		assertThat(read(apps, "$.apps.flask.pool.size")).isEqualTo(2);
		assertThat(read(apps, "$.apps.flask.state.size")).isEqualTo(2);
		assertThat(read(apps, "$.apps.edge.callable")).isEqualTo("application");
		assertThat(read(apps, "$.apps.edge.debug")).isEqualTo(true);
		assertThat(read(apps, "$.apps.edge.requestTimeout")).isEqualTo("PT3S");
		assertThat(read(apps, "$.apps.edge.pool.acquireTimeout")).isEqualTo("PT0.3S");
	}

	@Test
	void endpointSelectsOneAppByName() throws Exception {
		HttpResponse<String> edge = send(get("/actuator/wsgi/edge"));
		assertThat(edge.statusCode()).isEqualTo(200);
		assertThat(read(edge.body(), "$.name")).isEqualTo("edge");
		assertThat(read(edge.body(), "$.path")).isEqualTo("/edge");
		assertThat(send(get("/actuator/wsgi/nosuchapp")).statusCode()).isEqualTo(404);
	}

	@Test
	void reloadStartsTheAppAfreshAndItAnswersAfterwards() throws Exception {
		// Leave state in the edge app's module: its record of closed iterables.
		HttpResponse<InputStream> endless = this.client.send(HttpRequest.newBuilder(uri("/edge/endless")).build(),
				HttpResponse.BodyHandlers.ofInputStream());
		try (InputStream body = endless.body()) {
			assertThat(body.readNBytes(100_000)).hasSize(100_000);
		}
		await("/edge/closed", (body) -> !body.equals("0"));

		HttpResponse<String> reloaded = send(post("/actuator/wsgi/edge"));

		assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
		assertThat(read(reloaded.body(), "$.state.ready")).isEqualTo(1);
		assertThat(read(reloaded.body(), "$.state.replaced")).isEqualTo(0);
		HttpResponse<String> closed = send(get("/edge/closed"));
		assertThat(closed.statusCode()).isEqualTo(200);
		assertThat(closed.body()).as("the module's state after the reload").isEqualTo("0");
	}

	@Test
	void replacedContextsCounterKeepsItsCountAcrossAReload() throws Exception {
		String meter = "/actuator/metrics/wsgi.pool.replaced?tag=app:edge";
		double before = count(meter);
		assertThat(send(get("/edge/spin")).statusCode()).isEqualTo(504);
		await(meter, (body) -> countIn(body) >= before + 1);

		assertThat(send(post("/actuator/wsgi/edge")).statusCode()).isEqualTo(200);

		assertThat(count(meter)).isGreaterThanOrEqualTo(before + 1);
	}

	@Test
	void secondReloadWhileOneRunsIs409() throws Exception {
		Path gate = app("edge").directory().resolveSibling("edge-import-gate");
		Path reached = gate.resolveSibling("edge-import-gate.reached");
		Files.deleteIfExists(reached);
		Files.createFile(gate);
		CompletableFuture<HttpResponse<String>> first = null;
		try (WatchService watcher = gate.getFileSystem().newWatchService()) {
			gate.getParent().register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
			first = this.client.sendAsync(post("/actuator/wsgi/edge").timeout(PATIENCE).build(),
					HttpResponse.BodyHandlers.ofString());
			// The new pool's import of the app waits at the gate, so the reload is running.
			while (!Files.exists(reached)) {
				WatchKey key = watcher.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
				assertThat(key).as("the reload's import reached the gate").isNotNull();
				key.pollEvents();
				key.reset();
			}
			HttpResponse<String> second = send(post("/actuator/wsgi/host"));
			assertThat(second.statusCode()).as(second.body()).isEqualTo(409);
			assertThat(second.body()).contains("another reload is running");
		}
		finally {
			Files.delete(gate);
			if (first != null) {
				// Never leave a reload running for the next test.
				first.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
			}
		}
		assertThat(first.get().statusCode()).isEqualTo(200);
		Files.delete(reached);
	}

	@Test
	void failedReloadOfAnAppWithoutDebugKeepsTheTracebackOutOfTheAnswer() throws Exception {
		Path module = app("host").directory().resolve("hostapp.py");
		String source = Files.readString(module);
		Files.writeString(module, "raise RuntimeError('secret detail of a broken import')\n");
		try {
			HttpResponse<String> failed = send(post("/actuator/wsgi/host"));
			assertThat(failed.statusCode()).isEqualTo(500);
			assertThat(failed.body()).contains("did not reload", "previous pool keeps serving")
				.doesNotContain("Traceback", "secret detail", "hostapp.py");
		}
		finally {
			Files.writeString(module, source);
		}
		assertThat(send(post("/actuator/wsgi/host")).statusCode()).isEqualTo(200);
	}

	@Test
	void reloadOfAnUnknownAppIs404() throws Exception {
		assertThat(send(post("/actuator/wsgi/nosuchapp")).statusCode()).isEqualTo(404);
	}

	private HostedApp app(String name) {
		return this.hostedApps.apps()
			.stream()
			.filter((candidate) -> candidate.name().equals(name))
			.findFirst()
			.orElseThrow();
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private HttpRequest.Builder get(String path) {
		return HttpRequest.newBuilder(uri(path));
	}

	private HttpRequest.Builder post(String path) {
		return HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody());
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.client.send(request.timeout(PATIENCE).build(), HttpResponse.BodyHandlers.ofString());
	}

	/** The COUNT of a meter, 0 while no meter matches (the metrics endpoint answers 404). */
	private double count(String meter) throws Exception {
		HttpResponse<String> response = send(get(meter));
		if (response.statusCode() == 404) {
			return 0;
		}
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return countIn(response.body());
	}

	private static double countIn(String metric) {
		List<Number> counts = JsonPath.read(metric, "$.measurements[?(@.statistic == 'COUNT')].value");
		return counts.isEmpty() ? 0 : counts.get(0).doubleValue();
	}

	private double gauge(String meter) throws Exception {
		HttpResponse<String> response = send(get(meter));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		List<Number> values = JsonPath.read(response.body(), "$.measurements[?(@.statistic == 'VALUE')].value");
		assertThat(values).hasSize(1);
		return values.get(0).doubleValue();
	}

	private static Object read(String json, String path) {
		return JsonPath.read(json, path);
	}

	/** GET the path until its 200 body satisfies the condition, and return that body. */
	private String await(String path, Predicate<String> condition) throws Exception {
		long deadline = System.nanoTime() + PATIENCE.toNanos();
		HttpResponse<String> response;
		boolean satisfied;
		do {
			response = send(get(path));
			satisfied = response.statusCode() == 200 && condition.test(response.body());
		}
		while (!satisfied && System.nanoTime() < deadline);
		assertThat(satisfied).as("GET %s within %s s; last answer %s: %s", path, PATIENCE.toSeconds(),
				response.statusCode(), response.body()).isTrue();
		return response.body();
	}

}
