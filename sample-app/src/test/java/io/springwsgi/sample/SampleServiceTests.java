package io.springwsgi.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The running sample service, spoken to over real HTTP. Every sample test class extends this, so
 * they share one application context: one database, one set of Python contexts.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
abstract class SampleServiceTests {

	private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry);
	}

	protected HttpResponse<String> get(String path) {
		return send("GET", path, null);
	}

	protected HttpResponse<String> post(String path, String body) {
		return send("POST", path, body);
	}

	protected HttpResponse<String> post(String path, byte[] body) {
		HttpRequest request = HttpRequest.newBuilder(uri(path))
			.timeout(Duration.ofSeconds(60))
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofByteArray(body))
			.build();
		try {
			return client.send(request, BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("POST " + path + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("POST " + path + " was interrupted", ex);
		}
	}

	protected HttpResponse<String> put(String path, String body) {
		return send("PUT", path, body);
	}

	protected HttpResponse<String> delete(String path) {
		return send("DELETE", path, null);
	}

	/**
	 * Send without waiting, for requests that should be in flight together.
	 */
	protected CompletableFuture<HttpResponse<String>> postAsync(String path, String body) {
		return client.sendAsync(HttpRequest.newBuilder(uri(path))
			.timeout(Duration.ofSeconds(120))
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString(body))
			.build(), BodyHandlers.ofString());
	}

	protected HttpResponse<String> send(String method, String path, String body, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60));
		if (headers.length > 0) {
			request.headers(headers);
		}
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		request.method(method, (body != null) ? BodyPublishers.ofString(body) : BodyPublishers.noBody());
		try {
			return client.send(request.build(), BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(method + " " + path + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(method + " " + path + " was interrupted", ex);
		}
	}

	protected URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	protected static JsonNode json(HttpResponse<String> response) {
		return json.readTree(response.body());
	}

	protected static JsonNode json(String text) {
		return json.readTree(text);
	}

	protected static String jsonText(Object value) {
		return json.writeValueAsString(value);
	}

}
