package io.springwsgi.sample.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.springwsgi.sample.interop.EchoOperation;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/iris} and {@code /api/interop}: the Java side of what the Python apps do through
 * {@code spring.sql_rows} and {@code spring.beans.echoOperation}.
 */
@RestController
@RequestMapping("/api")
class DatabaseController {

	/** The counterpart of IRIS's {@code SELECT TOP 10 * FROM %Dictionary.ClassDefinition}. */
	static final String TABLE_CATALOGUE = "SELECT table_schema, table_name, table_type FROM information_schema.tables "
			+ "ORDER BY table_schema <> 'public', table_schema, table_name LIMIT 10";

	private final JdbcTemplate jdbc;

	private final EchoOperation echo;

	DatabaseController(JdbcTemplate jdbc, EchoOperation echo) {
		this.jdbc = jdbc;
		this.echo = echo;
	}

	@GetMapping("/iris")
	Mono<List<List<Object>>> iris() {
		return BlogController.blocking(() -> this.jdbc.query(TABLE_CATALOGUE,
				(row, i) -> List.<Object>of(row.getString(1), row.getString(2), row.getString(3))));
	}

	@RequestMapping("/interop")
	Map<String, Object> interop(ServerHttpRequest request, @RequestBody(required = false) String body) {
		return this.echo.handle(Map.of("method", request.getMethod().name(), "url", request.getURI().toString(),
				"headers", headers(request.getHeaders()), "body", (body != null) ? body : ""));
	}

	private static Map<String, String> headers(HttpHeaders headers) {
		return headers.headerSet()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, (entry) -> String.join(",", entry.getValue()),
					(first, second) -> first, LinkedHashMap::new));
	}

}
