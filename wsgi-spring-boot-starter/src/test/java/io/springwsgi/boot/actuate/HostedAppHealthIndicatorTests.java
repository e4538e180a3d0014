package io.springwsgi.boot.actuate;

import io.springwsgi.core.pool.PoolStatistics;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The status a pool's state stands for.
 */
class HostedAppHealthIndicatorTests {

	@Test
	void poolWithEveryContextReadyIsUpAndNotDegraded() {
		PoolStatistics pool = new PoolStatistics(2, 2, 1, 0, 0, 0);
		Health health = HostedAppHealthIndicator.assess(pool, new Health.Builder()).build();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("pool", pool).doesNotContainKey("degraded");
	}

	@Test
	void poolWithSomeContextsReadyIsUpAndDegraded() {
		Health health = HostedAppHealthIndicator.assess(new PoolStatistics(3, 1, 1, 4, 2, 0), new Health.Builder()).build();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("degraded", true)
			.containsEntry("reason", "1 of 3 Python contexts are ready; the others are being replaced");
	}

	@Test
	void poolWithNoContextReadyIsDownWithAReason() {
		Health health = HostedAppHealthIndicator.assess(new PoolStatistics(2, 0, 0, 3, 5, 0), new Health.Builder()).build();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("reason",
				"none of the 2 Python contexts is ready; requests get 503");
	}

}
