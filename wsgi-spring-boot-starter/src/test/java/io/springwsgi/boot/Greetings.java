package io.springwsgi.boot;

import java.time.LocalDate;
import java.util.List;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A transactional bean that the test app calls from Python.
 */
public class Greetings {

	private final JdbcTemplate jdbc;

	private final ObservationRegistry observations;

	public Greetings(JdbcTemplate jdbc, ObservationRegistry observations) {
		this.jdbc = jdbc;
		this.observations = observations;
		jdbc.execute("CREATE TABLE IF NOT EXISTS greeting (id serial PRIMARY KEY, name text NOT NULL)");
	}

	@Transactional
	public Greeting greet(String name) {
		Long id = this.jdbc.queryForObject("INSERT INTO greeting (name) VALUES (?) RETURNING id", Long.class, name);
		return new Greeting(id, name, "Hello, " + name, LocalDate.of(2026, 11, 25));
	}

	/**
	 * {@link #greet}, its SQL observed as {@code greetings.sql}, as an instrumented
	 * {@code DataSource} would observe it.
	 */
	public Greeting greetObserved(String name) {
		return Observation.createNotStarted("greetings.sql", this.observations).observe(() -> greet(name));
	}

	public List<Greeting> all() {
		return this.jdbc.query("SELECT id, name FROM greeting ORDER BY id", (row, i) -> new Greeting(row.getLong("id"),
				row.getString("name"), "Hello, " + row.getString("name"), LocalDate.of(2026, 11, 25)));
	}

	@Transactional
	public boolean inTransaction() {
		return TransactionSynchronizationManager.isActualTransactionActive();
	}

	@Transactional
	public void greetThenFail(String name) {
		greet(name);
		throw new IllegalStateException("failed after greeting " + name);
	}

	/**
	 * What {@link #greet} returns: a record Python receives as a dict.
	 */
	public record Greeting(Long id, String name, String message, LocalDate day) {
	}

}
