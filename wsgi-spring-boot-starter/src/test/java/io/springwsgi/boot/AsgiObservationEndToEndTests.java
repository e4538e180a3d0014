package io.springwsgi.boot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import brave.handler.MutableSpan;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An ASGI request's trace and user in the running ASGI service: the scope carries the span's
 * trace context, each log record the ids of the request that logged it although one event loop
 * serves them all, and Spring Security's user. Same set-up as {@link AsgiEndToEndTests}.
 */
@SpringBootTest(classes = TestService.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("asgi")
class AsgiObservationEndToEndTests {

	private static final String LOGGER = "io.springwsgi.app.fastapi.fastapiapp";

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	@LocalServerPort
	private int port;

	@Autowired
	private TestService.RecordedSpans spans;

	@Test
	void requestsInFlightTogetherEachLogWithTheirOwnTrace() throws Exception {
		List<String> traceIds = List.of("11111111111111111111111111111111", "22222222222222222222222222222222",
				"33333333333333333333333333333333");
		ListAppender<ILoggingEvent> records = ObservationEndToEndTests.recordLogsOf(LOGGER);
		try {
			List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
			for (String traceId : traceIds) {
				responses.add(this.client.sendAsync(request("/fastapi/traced")
					.header("traceparent", "00-" + traceId + "-" + ObservationEndToEndTests.CLIENT_SPAN_ID + "-01")
					.build(), HttpResponse.BodyHandlers.ofString()));
			}
			for (int i = 0; i < traceIds.size(); i++) {
				String traceId = traceIds.get(i);
				HttpResponse<String> response = responses.get(i).join();
				assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
				String own = JsonPath.read(response.body(), "$['springwsgi.traceparent']");
				assertThat(own).startsWith("00-" + traceId + "-");
				MutableSpan python = this.spans.await(traceId, "fastapi get", Duration.ofSeconds(60));
				assertThat(own.substring(36, 52)).isEqualTo(python.id());
				ILoggingEvent record = records.list.stream()
					.filter((event) -> event.getFormattedMessage().equals("scope of " + own))
					.findFirst()
					.orElseThrow();
				assertThat(record.getMDCPropertyMap()).containsEntry("traceId", traceId)
					.containsEntry("spanId", python.id());
			}
		}
		finally {
			ObservationEndToEndTests.stopRecording(LOGGER, records);
		}
	}

	@Test
	void protectedAsgiPathAnswers401ToAnAnonymousClient() throws Exception {
		assertThat(send(request("/fastapi/whoami")).statusCode()).isEqualTo(401);
	}

	@Test
	void authenticatedUserReachesTheScopeAsRemoteUser() throws Exception {
		HttpResponse<String> response = send(request("/fastapi/whoami").header("Authorization",
				ObservationEndToEndTests.basic(TestService.USER, TestService.PASSWORD)));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat((String) JsonPath.read(response.body(), "$.remote_user")).isEqualTo(TestService.USER);
	}

	@Test
	void forwardedHeadersAreIgnoredByDefault() throws Exception {
		HttpResponse<String> response = send(request("/fastapi/traced").header("X-Forwarded-Proto", "https")
			.header("X-Forwarded-Host", "shop.example.com:8443")
			.header("X-Forwarded-For", "203.0.113.7"));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat((String) JsonPath.read(response.body(), "$.scheme")).isEqualTo("http");
		assertThat((List<Object>) JsonPath.read(response.body(), "$.server")).containsExactly("localhost", this.port);
		assertThat((String) JsonPath.read(response.body(), "$.client[0]")).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
	}

	@Test
	void routeFastApiMatchedIsALowCardinalityKeyValue() throws Exception {
		String traceId = "5bf92f3577b34da6a3ce929d0e0e4737";
		HttpResponse<String> response = send(request("/fastapi/status/202")
			.header("traceparent", "00-" + traceId + "-" + ObservationEndToEndTests.CLIENT_SPAN_ID + "-01"));
		assertThat(response.statusCode()).isEqualTo(202);
		assertThat(this.spans.await(traceId, "fastapi get", Duration.ofSeconds(60)).tags())
			.containsEntry("route", "/status/{code}")
			.containsEntry("status", "202");
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(120));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
