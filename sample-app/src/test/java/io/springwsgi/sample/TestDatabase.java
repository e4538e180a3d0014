package io.springwsgi.sample;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The tests' PostgreSQL, the one switch between its two sources: Testcontainers' PostgreSQL where
 * a Docker engine answers, otherwise none here, so that the application starts its own embedded
 * PostgreSQL (as it does for {@code bin/run-sample}).
 */
final class TestDatabase {

	private static PostgreSQLContainer container;

	private TestDatabase() {
	}

	static synchronized void register(DynamicPropertyRegistry registry) {
		if (!DockerClientFactory.instance().isDockerAvailable()) {
			return;
		}
		if (container == null) {
			container = new PostgreSQLContainer("postgres:17-alpine");
			container.start();
		}
		registry.add("spring.datasource.url", container::getJdbcUrl);
		registry.add("spring.datasource.username", container::getUsername);
		registry.add("spring.datasource.password", container::getPassword);
	}

}
