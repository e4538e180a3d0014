package io.springwsgi.sample;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as {@code bin/run-sample} starts it: Python and Java behind one server.
 */
class SampleApplicationTests extends SampleServiceTests {

	@Test
	void readinessIsUpOnceStartUpHasLoadedAndWarmedEveryApp() {
		HttpResponse<String> readiness = get("/actuator/health/readiness");
		assertThat(readiness.statusCode()).isEqualTo(200);
		assertThat(readiness.body()).contains("\"status\":\"UP\"");
		HttpResponse<String> health = get("/actuator/health");
		assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
	}

	@Test
	void flaskAnswersAtItsMountPathWithAndWithoutTrailingSlash() {
		for (String path : new String[] { "/flask/", "/flask" }) {
			HttpResponse<String> response = get(path);
			assertThat(response.statusCode()).as(path).isEqualTo(200);
			assertThat(response.body()).as(path).contains("\"message\":\"Hello from Flask\"");
		}
	}

	@Test
	void djangoAnswersAtItsMountPathWithAndWithoutTrailingSlash() {
		for (String path : new String[] { "/django/", "/django" }) {
			HttpResponse<String> response = get(path);
			assertThat(response.statusCode()).as(path).isEqualTo(200);
			assertThat(response.body()).as(path).contains("\"message\": \"Hello from Django\"", "\"script_name\": \"/django\"");
		}
	}

	@Test
	void fastApiAnswersAtItsMountPathWithItsRootPath() {
		for (String path : new String[] { "/fastapi/", "/fastapi" }) {
			HttpResponse<String> response = get(path);
			assertThat(response.statusCode()).as(path).isEqualTo(200);
			assertThat(response.body()).as(path).contains("\"message\":\"Hello from FastAPI\"", "\"root_path\":\"/fastapi\"");
		}
	}

	@Test
	void fastApiKeepsItsOpenApiDocsUnderItsMountPath() {
		HttpResponse<String> docs = get("/fastapi/docs");
		assertThat(docs.statusCode()).isEqualTo(200);
		assertThat(docs.body()).contains("swagger-ui", "/fastapi/openapi.json");
		HttpResponse<String> schema = get("/fastapi/openapi.json");
		assertThat(schema.statusCode()).isEqualTo(200);
		assertThat(schema.body()).contains("\"/posts/{id}\"", "\"PostIn\"");
	}

	@Test
	void prometheusScrapeHasThePythonRequestsAndPools() {
		assertThat(get("/flask/").statusCode()).isEqualTo(200);
		HttpResponse<String> scrape = get("/actuator/prometheus");
		assertThat(scrape.statusCode()).isEqualTo(200);
		assertThat(scrape.body()).contains("wsgi_pool_size_contexts{app=\"flask\"}", "wsgi_requests_seconds_count{",
				"app=\"flask\"");
	}

	@Test
	void wsgiEndpointListsTheAppsAndDoesNotReloadThem() {
		HttpResponse<String> apps = get("/actuator/wsgi");
		assertThat(apps.statusCode()).isEqualTo(200);
		assertThat(apps.body()).contains("\"flask\"", "\"django\"", "\"fastapi\"");
		assertThat(post("/actuator/wsgi/flask", "").statusCode()).isEqualTo(405);
	}

	@Test
	void javaAnswersNextToFlask() {
		HttpResponse<String> response = get("/api/hello");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"message\":\"Hello from Java\"}");
	}

}
