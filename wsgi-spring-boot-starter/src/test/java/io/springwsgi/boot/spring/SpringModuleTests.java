package io.springwsgi.boot.spring;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.springwsgi.boot.TestService;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code import spring} from a Python app, against a real bean on a real PostgreSQL. Shares
 * the end-to-end tests' running server.
 */
@SpringBootTest(classes = TestService.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("e2e")
class SpringModuleTests {

	private final HttpClient client = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private javax.sql.DataSource dataSource;

	private HttpResponse<String> get(String path) throws Exception {
		return this.client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/host" + path))
			.timeout(Duration.ofSeconds(60))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void beanResultArrivesAsPlainPythonValues() throws Exception {
		HttpResponse<String> response = get("/greet?name=ada");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		assertThat(response.body()).contains("\"name\": \"ada\"", "\"message\": \"Hello, ada\"",
				"\"day\": \"2026-11-25\"");
	}

	@Test
	void listOfRecordsArrivesAsAListOfDicts() throws Exception {
		get("/greet?name=grace");
		HttpResponse<String> response = get("/greetings");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.body()).startsWith("[{").contains("\"name\": \"grace\"");
	}

	@Test
	void transactionalBeanMethodRunsInATransaction() throws Exception {
		assertThat(get("/in-transaction").body()).isEqualTo("true");
	}

	@Test
	void failingTransactionalMethodRollsBackAndRaisesInPython() throws Exception {
		HttpResponse<String> response = get("/rollback?name=rolledback");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.body()).contains("failed after greeting rolledback");
		assertThat(new JdbcTemplate(this.dataSource)
			.queryForObject("SELECT count(*) FROM greeting WHERE name = 'rolledback'", Integer.class)).isZero();
	}

	@Test
	void sqlRunsWithBoundParametersAndReturnsRows() throws Exception {
		get("/greet?name=o'brien");
		HttpResponse<String> response = get("/sql?name=o%27brien");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.body()).contains("\"name\": \"o'brien\"", "\"tuples\": [[\"o'brien\"]]");
	}

	@Test
	void sqlReturnsAsManyRowsAsTheCapAllows() throws Exception {
		assertThat(get("/series?n=100").body()).isEqualTo("{\"rows\": 100}");
	}

	@Test
	void sqlPastTheRowCapRaisesInPythonNamingTheLimit() throws Exception {
		assertThat(get("/series?n=101").body()).contains("the query returned more than 100 rows (wsgi.sql.max-rows)");
	}

	@Test
	void sqlUpdateReturnsTheRowsChanged() throws Exception {
		get("/greet?name=before-update");
		HttpResponse<String> response = get("/update?name=before-update&to=after-update");
		assertThat(response.body()).isEqualTo("{\"changed\": 1}");
		assertThat(new JdbcTemplate(this.dataSource)
			.queryForObject("SELECT count(*) FROM greeting WHERE name = 'after-update'", Integer.class)).isOne();
	}

	@Test
	void rawBeanGivesJavaObjectsThatToPythonConverts() throws Exception {
		HttpResponse<String> response = get("/raw?name=raw");
		assertThat(response.body()).contains("\"python\": {\"id\":").doesNotContain("\"java\": \"dict\"");
	}

	@Test
	void beanNotListedForTheAppIsRefused() throws Exception {
		HttpResponse<String> response = get("/forbidden");
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.body()).contains("may not use a bean named 'dataSource'", "greetings");
	}

	@Test
	void rawBeanShowsNeitherTheProxysOwnInterfacesNorClasses() throws Exception {
		HttpResponse<String> response = get("/proxy-members");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"reached\": [], \"greeted\": \"members\"}");
	}

	@Test
	void appWithoutSqlGetsAnErrorNamingTheProperty() throws Exception {
		HttpResponse<String> response = this.client.send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/edge/sql")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.body()).isEqualTo("app 'edge' may not run SQL: set wsgi.apps[1].sql to true "
				+ "(spring.sql() also needs spring-jdbc on the class path and a DataSource bean)");
	}

	@Test
	void appSeesOnlyItsEnvUnlessItInheritsTheJvmsEnvironment() throws Exception {
		HttpResponse<String> edge = this.client.send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/edge/os-environ")).build(),
				HttpResponse.BodyHandlers.ofString());
		// GraalPy adds variables of its own (UNSAFE_PYO3_SKIP_VERSION_CHECK); none come from the JVM.
		assertThat(edge.body()).contains("'EDGE_GREETING'").doesNotContain("'PATH'", "'HOME'");
		assertThat(get("/environ").body()).isEqualTo(
				"{\"path\": \"" + System.getenv("PATH") + "\", \"greeting\": \"hello\"}");
	}

	@Test
	void javaClassLookupIsOffByDefault() throws Exception {
		HttpResponse<String> response = get("/java-class");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
		// GraalPy's answer when the context may not look up host classes.
		assertThat(response.body()).contains("host symbol java.lang.System is not defined or access has been denied");
	}

}
