package io.springwsgi.boot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import reactor.netty.http.HttpProtocol;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service behind a proxy ({@code server.forward-headers-strategy=framework}) that speaks h2c
 * to it ({@code server.http2.enabled=true}): the apps see the client's scheme, host and address,
 * and answer HTTP/2 requests sent without TLS.
 */
@SpringBootTest(classes = TestService.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("proxy")
class ProxyEndToEndTests {

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	@LocalServerPort
	private int port;

	@Test
	void wsgiEnvironHasWhatTheClientUsedBehindTheProxy() throws Exception {
		HttpResponse<String> response = send(request("/edge/environ").header("X-Forwarded-Proto", "https")
			.header("X-Forwarded-Host", "shop.example.com")
			.header("X-Forwarded-Port", "8443")
			.header("X-Forwarded-For", "203.0.113.7"));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(read(response, "$['wsgi.url_scheme']")).isEqualTo("https");
		assertThat(read(response, "$.SERVER_NAME")).isEqualTo("shop.example.com");
		assertThat(read(response, "$.SERVER_PORT")).isEqualTo("8443");
		assertThat(read(response, "$.HTTP_HOST")).isEqualTo("shop.example.com:8443");
		assertThat(read(response, "$.REMOTE_ADDR")).isEqualTo("203.0.113.7");
	}

	@Test
	void asgiScopeHasWhatTheClientUsedBehindTheProxy() throws Exception {
		HttpResponse<String> response = send(request("/asgi-edge/scope").header("Forwarded",
				"for=\"203.0.113.7:4711\";proto=https;host=shop.example.com"));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(read(response, "$.scheme")).isEqualTo("https");
		assertThat((List<Object>) JsonPath.read(response.body(), "$.server")).containsExactly("shop.example.com", 443);
		assertThat((List<Object>) JsonPath.read(response.body(), "$.client")).containsExactly("203.0.113.7", 4711);
	}

	@Test
	void h2cRequestReachesAWsgiApp() {
		String body = h2c("/edge/environ");
		assertThat((String) JsonPath.read(body, "$.SERVER_PROTOCOL")).isEqualTo("HTTP/2.0");
	}

	@Test
	void h2cRequestReachesAnAsgiApp() {
		String body = h2c("/asgi-edge/scope");
		assertThat((String) JsonPath.read(body, "$.http_version")).isEqualTo("2");
	}

	/** A GET over HTTP/2 without TLS, with prior knowledge, as a proxy speaking h2c sends it. */
	private String h2c(String path) {
		return reactor.netty.http.client.HttpClient.create()
			.protocol(HttpProtocol.H2C)
			.get()
			.uri("http://localhost:" + this.port + path)
			.responseSingle((response, content) -> {
				assertThat(response.status().code()).isEqualTo(200);
				assertThat(response.version().text()).isEqualTo("HTTP/2.0");
				return content.asString();
			})
			.block(Duration.ofSeconds(120));
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(120));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String read(HttpResponse<String> response, String path) {
		Object value = JsonPath.read(response.body(), path);
		return (value != null) ? value.toString() : null;
	}

}
