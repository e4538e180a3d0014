package io.springwsgi.boot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import brave.handler.MutableSpan;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WSGI request's trace, user and addresses in the running end-to-end service: one trace from
 * the client through the server's span and the Python request's span to the SQL of the Spring
 * bean Python calls, Python's log records carrying the ids; Spring Security in front of Python
 * as in front of Java. Same set-up as {@link WsgiEndToEndTests}, so both share one context.
 */
@SpringBootTest(classes = TestService.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("e2e")
class ObservationEndToEndTests {

	static final String CLIENT_SPAN_ID = "00f067aa0ba902b7";

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	@LocalServerPort
	private int port;

	@Autowired
	private TestService.RecordedSpans spans;

	@Test
	void oneTraceRunsFromTheClientThroughPythonToTheBeansSql() throws Exception {
		String traceId = "0af7651916cd43dd8448eb211c80319c";
		String sent = "00-" + traceId + "-" + CLIENT_SPAN_ID + "-01";
		ListAppender<ILoggingEvent> records = recordLogsOf("io.springwsgi.app.host.hostapp");
		try {
			HttpResponse<String> response = send(
					HttpRequest.newBuilder(uri("/host/traced?name=traced")).header("traceparent", sent));
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			assertThat(read(response.body(), "$.traceparent")).as("the header as the client sent it").isEqualTo(sent);
			String own = read(response.body(), "$['springwsgi.traceparent']");
			assertThat(own).startsWith("00-" + traceId + "-").doesNotContain(CLIENT_SPAN_ID);
			String pythonSpanId = own.substring(36, 52);

			// WebFlux names it after the route's pattern: "http get /host/**".
			MutableSpan server = awaitSpan(traceId, "http get");
			MutableSpan python = awaitSpan(traceId, "host get");
			MutableSpan sql = awaitSpan(traceId, "greetings.sql");
			assertThat(server.parentId()).isEqualTo(CLIENT_SPAN_ID);
			assertThat(python.id()).isEqualTo(pythonSpanId);
			assertThat(this.spans.descends(python, server)).as("the Python span is inside the server's").isTrue();
			assertThat(python.tags()).containsEntry("app", "host")
				.containsEntry("method", "GET")
				.as("a plain WSGI app has no routes to name")
				.containsEntry("route", "UNKNOWN")
				.containsEntry("status", "200")
				.containsEntry("outcome", "SUCCESS");
			assertThat(sql.parentId()).isEqualTo(python.id());

			ILoggingEvent record = records.list.stream()
				.filter((event) -> event.getFormattedMessage().equals("greeting traced"))
				.findFirst()
				.orElseThrow();
			assertThat(record.getMDCPropertyMap()).containsEntry("traceId", traceId)
				.containsEntry("spanId", pythonSpanId);
		}
		finally {
			stopRecording("io.springwsgi.app.host.hostapp", records);
		}
	}

	@Test
	void routeFlaskMatchedIsALowCardinalityKeyValue() throws Exception {
		String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/flask/items/7"))
			.header("traceparent", "00-" + traceId + "-" + CLIENT_SPAN_ID + "-01"));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(awaitSpan(traceId, "flask get").tags()).containsEntry("route", "/items/<int:item_id>")
			.containsEntry("uri", "/flask/items/7");
	}

	@Test
	void protectedPythonPathAnswers401ToAnAnonymousClient() throws Exception {
		assertThat(send(HttpRequest.newBuilder(uri("/edge/whoami"))).statusCode()).isEqualTo(401);
		assertThat(send(HttpRequest.newBuilder(uri("/api/whoami"))).statusCode()).isEqualTo(401);
	}

	@Test
	void authenticatedUserReachesTheAppAsRemoteUser() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/edge/whoami")).header("Authorization",
				basic(TestService.USER, TestService.PASSWORD)));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(read(response.body(), "$.REMOTE_USER")).isEqualTo(TestService.USER);
	}

	@Test
	void anonymousRequestHasNoRemoteUser() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/edge/environ")));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat((Object) JsonPath.read(response.body(), "$.REMOTE_USER")).isNull();
	}

	@Test
	void forwardedHeadersAreIgnoredByDefault() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/edge/environ"))
			.header("X-Forwarded-Proto", "https")
			.header("X-Forwarded-Host", "shop.example.com")
			.header("X-Forwarded-For", "203.0.113.7"));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(read(response.body(), "$['wsgi.url_scheme']")).isEqualTo("http");
		assertThat(read(response.body(), "$.SERVER_NAME")).isEqualTo("localhost");
		assertThat(read(response.body(), "$.SERVER_PORT")).isEqualTo(Integer.toString(this.port));
		assertThat(read(response.body(), "$.REMOTE_ADDR")).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
	}

	static String basic(String user, String password) {
		return "Basic " + java.util.Base64.getEncoder()
			.encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	static ListAppender<ILoggingEvent> recordLogsOf(String name) {
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		((Logger) LoggerFactory.getLogger(name)).addAppender(appender);
		return appender;
	}

	static void stopRecording(String name, ListAppender<ILoggingEvent> appender) {
		((Logger) LoggerFactory.getLogger(name)).detachAppender(appender);
		appender.stop();
	}

	private MutableSpan awaitSpan(String traceId, String name) throws InterruptedException {
		return this.spans.await(traceId, name, Duration.ofSeconds(60));
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.client.send(request.timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String read(String json, String path) {
		Object value = JsonPath.read(json, path);
		return (value != null) ? value.toString() : null;
	}

}
