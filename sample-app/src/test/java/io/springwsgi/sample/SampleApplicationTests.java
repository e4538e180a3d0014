package io.springwsgi.sample;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as {@code bin/run-sample} starts it: Python and Java behind one server.
 */
class SampleApplicationTests extends SampleServiceTest {

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
	void javaAnswersNextToFlask() {
		HttpResponse<String> response = get("/api/hello");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"message\":\"Hello from Java\"}");
	}

}
