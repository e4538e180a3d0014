package io.springwsgi.boot.apps;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.jayway.jsonpath.JsonPath;
import io.springwsgi.boot.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A service's start-up as a client sees it, over real HTTP: the port opens while a Python app
 * still loads, Java answers, readiness is refused, a request to the app waits for it and is
 * served once it has loaded, and readiness turns UP only after the warm-up requests have
 * reached each context. The app's import waits for a file the test creates, so the test, not
 * the machine's speed, decides when the app has loaded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostedAppsStartupTests {

	private static final Duration PATIENCE = Duration.ofSeconds(120);

	private static final Duration POLL_TIMEOUT = Duration.ofSeconds(10);

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	private Path gate;

	private int port;

	private CompletableFuture<ConfigurableApplicationContext> service;

	private CompletableFuture<HttpResponse<String>> earlyRequest;

	@BeforeAll
	void startTheServiceInTheBackground() throws IOException {
		this.gate = Files.createTempDirectory("springwsgi-gate").resolve("gate");
		this.port = freePort();
		// run() returns only once the apps are ready, so it runs on a thread of its own.
		this.service = CompletableFuture.supplyAsync(() -> new SpringApplicationBuilder(TestService.class)
			.profiles("startup")
			.run("--server.port=" + this.port, "--springwsgi.test.gate=" + this.gate));
	}

	@AfterAll
	void stopTheService() throws IOException {
		if (!Files.exists(this.gate)) {
			Files.createFile(this.gate);
		}
		this.service.join().close();
		Files.delete(this.gate);
		Files.delete(this.gate.getParent());
	}

	@Test
	@Order(1)
	void whileAnAppLoadsJavaAnswersAndReadinessIsRefused() throws Exception {
		String readiness = await("/actuator/health/readiness", (response) -> response.statusCode() == 503);
		assertThat(read(readiness, "$.status")).isEqualTo("OUT_OF_SERVICE");
		assertThat(send("/api/hello").statusCode()).isEqualTo(200);
		assertThat(send("/actuator/health/liveness").statusCode()).isEqualTo(200);
		HttpResponse<String> health = send("/actuator/health");
		assertThat(read(health.body(), "$.components.wsgi.components.gated.status")).isEqualTo("OUT_OF_SERVICE");
		assertThat(read(health.body(), "$.components.wsgi.components.gated.details.startup"))
			.isEqualTo("loading its first context");
		assertThat(this.service).as("start-up still waits for the app").isNotDone();
	}

	@Test
	@Order(2)
	void requestThatArrivesWhileTheAppLoadsIsServedOnceItHasLoaded() throws Exception {
		this.earlyRequest = this.client.sendAsync(request("/gated/early", PATIENCE), HttpResponse.BodyHandlers.ofString());
		await("/actuator/health", (response) -> Integer.valueOf(1)
			.equals(read(response.body(), "$.components.wsgi.components.gated.details.waitingForFirstContext")));

		Files.createFile(this.gate);

		HttpResponse<String> early = this.earlyRequest.get();
		assertThat(early.statusCode()).as(early.body()).isEqualTo(200);
		assertThat(read(early.body(), "$.path")).isEqualTo("/early");
	}

	@Test
	@Order(3)
	void readinessTurnsUpOnceEachContextHasServedItsWarmUpRequests() throws Exception {
		String readiness = await("/actuator/health/readiness", (response) -> response.statusCode() == 200);
		assertThat(read(readiness, "$.status")).isEqualTo("UP");
		this.service.join();
		assertThat(read(send("/actuator/health").body(), "$.components.wsgi.components.gated.status"))
			.isEqualTo("UP");
		// Two request lines, three rounds, on whichever of the two contexts answers.
		for (int i = 0; i < 4; i++) {
			HttpResponse<String> stats = send("/gated/stats");
			assertThat(read(stats.body(), "$.warm_up")).isEqualTo(6);
		}
	}

	@Test
	@Order(4)
	void appThatFailsToImportFailsStartUpWithTheConfigurationError() {
		Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(TestService.class)
			.run("--server.port=0", "--wsgi.apps[0].name=broken", "--wsgi.apps[0].path=/broken",
					"--wsgi.apps[0].directory=classpath:python/broken", "--wsgi.apps[0].module=broken"));
		while (failure != null && !(failure instanceof WsgiConfigurationException)) {
			failure = failure.getCause();
		}
		assertThat(failure).as("a WsgiConfigurationException among the causes")
			.isInstanceOfSatisfying(WsgiConfigurationException.class,
					(configuration) -> assertThat(configuration.getProperty()).isEqualTo("wsgi.apps[0].module"))
			.hasMessageContaining("flask_that_is_not_installed");
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private HttpRequest request(String path, Duration timeout) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).timeout(timeout).build();
	}

	private HttpResponse<String> send(String path) throws Exception {
		return this.client.send(request(path, PATIENCE), HttpResponse.BodyHandlers.ofString());
	}

	private static Object read(String json, String path) {
		return JsonPath.read(json, path);
	}

	/**
	 * GET the path until the answer satisfies the condition, and return its body; before the
	 * port opens, the connection is refused.
	 */
	private String await(String path, Predicate<HttpResponse<String>> condition) throws Exception {
		long deadline = System.nanoTime() + PATIENCE.toNanos();
		HttpResponse<String> response = null;
		while (System.nanoTime() < deadline) {
			try {
				response = this.client.send(request(path, POLL_TIMEOUT), HttpResponse.BodyHandlers.ofString());
				if (condition.test(response)) {
					return response.body();
				}
			}
			catch (IOException ex) {
				// Not listening yet, or a slow answer: poll gently, the service starting needs the CPU.
				TimeUnit.MILLISECONDS.sleep(100);
			}
			assertThat(this.service.isCompletedExceptionally()).as("the service failed to start").isFalse();
		}
		throw new AssertionError("GET " + path + " within " + PATIENCE.toSeconds() + " s; last answer "
				+ ((response != null) ? response.statusCode() + ": " + response.body() : "none"));
	}

}
