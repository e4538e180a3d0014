package io.springwsgi.boot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.springwsgi.boot.apps.HostedApp;
import io.springwsgi.boot.apps.HostedApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Apps of seven frameworks, from Debian's packages, mounted by configuration only with two
 * contexts each ({@code application-frameworks.yml}), answer from both of their contexts:
 * Django imports {@code termios}, Pyramid and CherryPy {@code pyexpat}, Quart {@code h11},
 * which once worked in the first context of the JVM only.
 */
@SpringBootTest(classes = { TestService.class, FrameworksEndToEndTests.RendezvousConfiguration.class },
		webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("frameworks")
class FrameworksEndToEndTests {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	@LocalServerPort
	private int port;

	@Autowired
	private HostedApps hostedApps;

	@Autowired
	private TestService.RecordedSpans spans;

	/**
	 * Each app answers from both of its contexts, and its observation names the route its
	 * framework matched where the framework says ({@code UNKNOWN} where it does not).
	 */
	@ParameterizedTest
	@CsvSource({ "pyramid, UNKNOWN", "cherrypy, UNKNOWN", "bottle, UNKNOWN", "falcon, UNKNOWN", "django, context",
			"quart, UNKNOWN", "starlette, /context" })
	void appAnswersFromBothOfItsContexts(String app, String route) throws InterruptedException {
		String traceId = "%016x%016x".formatted(app.hashCode(), 1);
		// The two requests wait for each other in Python, so they run in two contexts at once.
		List<CompletableFuture<HttpResponse<String>>> requests = List.of(context(app, traceId), context(app, null));
		List<HttpResponse<String>> responses = requests.stream().map(CompletableFuture::join).toList();
		assertThat(responses).allSatisfy((response) -> assertThat(response.statusCode()).as(response.body())
			.isEqualTo(200));
		assertThat(responses).extracting(HttpResponse::body)
			.allSatisfy((body) -> assertThat(body).matches("[0-9a-f]{32}"))
			.doesNotHaveDuplicates();
		assertThat(this.spans.await(traceId, app + " get", Duration.ofSeconds(60)).tags()).containsEntry("route",
				route);
	}

	@Test
	void correctionsAppliedToAnAppAreListed() {
		HostedApp hosted = this.hostedApps.apps()
			.stream()
			.filter((app) -> app.name().equals("quart"))
			.findFirst()
			.orElseThrow();
		assertThat(hosted.corrections()).anySatisfy((line) -> assertThat(line).startsWith("h11 0.14")
			.contains("Sentinel"));
	}

	private CompletableFuture<HttpResponse<String>> context(String app, String traceId) {
		URI uri = URI.create("http://localhost:" + this.port + "/" + app + "/context?group=" + app);
		HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(3));
		if (traceId != null) {
			request.header("traceparent", "00-" + traceId + "-" + ObservationEndToEndTests.CLIENT_SPAN_ID + "-01");
		}
		return this.client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Configuration(proxyBeanMethods = false)
	static class RendezvousConfiguration {

		@Bean
		Rendezvous rendezvous() {
			return new Rendezvous();
		}

	}

}
