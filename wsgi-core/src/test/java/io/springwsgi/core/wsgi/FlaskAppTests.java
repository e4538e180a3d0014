package io.springwsgi.core.wsgi;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import io.springwsgi.core.http.RecordingSink;
import io.springwsgi.core.http.RequestHead;
import io.springwsgi.core.http.Requests;
import io.springwsgi.core.pool.PoolConfig;
import org.junit.jupiter.api.Test;

import static io.springwsgi.core.wsgi.TestApps.exchange;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's Flask through the bridge, as is and behind {@code wsgiref.validate}: Flask and the
 * server together must keep to PEP 3333.
 */
class FlaskAppTests {

	@Test
	void getRootAnswersWithFlasksText() {
		RecordingSink response = exchange(flask(), Requests.get("/flask/").build());
		assertThat(response.status).as(response.bodyText()).isEqualTo(200);
		assertThat(response.header("Content-Type")).startsWith("text/html");
		assertThat(response.bodyText()).isEqualTo("Hello from Flask on GraalPy");
	}

	@Test
	void postedJsonGetsCreatedJsonWithTheMountPathAsScriptRoot() {
		RecordingSink response = greet(flask(), "/flask");
		assertThat(response.status).as(response.bodyText()).isEqualTo(201);
		assertThat(response.header("Content-Type")).isEqualTo("application/json");
		assertThat(response.bodyText().replace(" ", "")).contains("\"greeting\":\"Hello,GraalPy\"",
				"\"root\":\"/flask\"");
	}

	@Test
	void requestUrlWorksThoughGraalPyLacksTheIdnaCodec() {
		RecordingSink response = exchange(flask(), Requests.get("/flask/url?q=1").build());
		assertThat(response.status).as(response.bodyText()).isEqualTo(200);
		assertThat(response.bodyText()).contains("\"url\":\"http://localhost:8080/flask/url?q=1\"",
				"\"host_url\":\"http://localhost:8080/\"");
	}

	@Test
	void chunkedJsonBodyReachesFlask() {
		byte[] body = "{\"name\": \"chunks\"}".getBytes(StandardCharsets.UTF_8);
		RequestHead request = Requests.post("/flask/greet")
			.header("Content-Type", "application/json")
			.header("Transfer-Encoding", "chunked")
			.build();
		RecordingSink response = exchange(flask(), request, new WsgiConformanceTests.TrickleStream(body, 5),
				new RecordingSink());
		assertThat(response.status).as(response.bodyText()).isEqualTo(201);
		assertThat(response.bodyText().replace(" ", "")).contains("\"greeting\":\"Hello,chunks\"");
	}

	@Test
	void getRootPassesTheValidator() {
		RecordingSink response = exchange(validatedFlask(), Requests.get("/checked/").build());
		assertThat(response.status).as(response.bodyText()).isEqualTo(200);
		assertThat(response.bodyText()).isEqualTo("Hello from Flask on GraalPy");
	}

	@Test
	void postedJsonPassesTheValidator() {
		RecordingSink response = greet(validatedFlask(), "/checked");
		assertThat(response.status).as(response.bodyText()).isEqualTo(201);
		assertThat(response.bodyText().replace(" ", "")).contains("\"greeting\":\"Hello,GraalPy\"",
				"\"root\":\"/checked\"");
	}

	private static RecordingSink greet(WsgiApplication app, String mountPath) {
		byte[] body = "{\"name\": \"GraalPy\"}".getBytes(StandardCharsets.UTF_8);
		RequestHead request = Requests.post(mountPath + "/greet")
			.header("Content-Type", "application/json")
			.header("Content-Length", Integer.toString(body.length))
			.build();
		return exchange(app, request, new ByteArrayInputStream(body), new RecordingSink());
	}

	private static WsgiApplication flask() {
		return TestApps.shared(TestApps.app("flask", "flaskapp.hello", "app"), PoolConfig.ofSize(1),
				WsgiOptions.mountedAt("/flask"));
	}

	private static WsgiApplication validatedFlask() {
		return TestApps.shared(TestApps.app("flask-validated", "flaskapp.validated", "application"),
				PoolConfig.ofSize(1), WsgiOptions.mountedAt("/checked"));
	}

}
