package io.springwsgi.sample.api;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/iris}: the first tables of the database's catalogue, what the Python apps read
 * through {@code spring.sql_rows} — the counterpart of IRIS's
 * {@code SELECT TOP 10 * FROM %Dictionary.ClassDefinition}.
 */
@RestController
class CatalogueController {

	static final String FIRST_TABLES = "SELECT table_schema, table_name, table_type FROM information_schema.tables "
			+ "ORDER BY table_schema <> 'public', table_schema, table_name LIMIT 10";

	private final JdbcTemplate jdbc;

	CatalogueController(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@GetMapping("/api/iris")
	Mono<List<List<Object>>> iris() {
		return Blocking.call(() -> this.jdbc.query(FIRST_TABLES,
				(row, i) -> List.<Object>of(row.getString(1), row.getString(2), row.getString(3))));
	}

}
