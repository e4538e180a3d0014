package io.springwsgi.boot.actuate;

import io.springwsgi.boot.apps.HostedApp;
import io.springwsgi.core.pool.PoolStatistics;
import reactor.core.publisher.Mono;

import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The health of one hosted Python app, judged by the pool of contexts that serves it:
 * <ul>
 * <li>{@code UP} when every context of the pool is ready;</li>
 * <li>{@code UP} with the detail {@code degraded: true} when some contexts are ready and
 * others are not: one is being replaced after a timeout or a failure, or could not be replaced
 * and is retried on its next request. The app still answers, only with less parallelism, and
 * the pool heals by itself. {@code OUT_OF_SERVICE} was not chosen because Spring Boot answers
 * it with 503 on the health endpoint, which would take the whole instance, Java endpoints
 * included, out of its load balancer for a transient shortfall;</li>
 * <li>{@code DOWN} when no context is ready or the app is closed: its requests can only wait
 * and then get 503;</li>
 * <li>{@code OUT_OF_SERVICE} while the app starts, until its contexts are loaded and warmed up,
 * with the detail {@code startup} saying which step it is at. It may already answer requests,
 * but readiness is refused meanwhile, and this says why.</li>
 * </ul>
 * Details: the mount {@code path}, the {@code callable} as {@code module:callable}, and the
 * {@link PoolStatistics pool}'s size, ready, active, waiting and replaced contexts.
 */
public final class HostedAppHealthIndicator extends AbstractReactiveHealthIndicator {

	private final HostedApp app;

	/**
	 * Create the indicator.
	 * @param app the app to report on
	 */
	public HostedAppHealthIndicator(HostedApp app) {
		super("Health check of Python app '" + app.name() + "' failed");
		this.app = app;
	}

	@Override
	protected Mono<Health> doHealthCheck(Health.Builder builder) {
		builder.withDetail("path", this.app.mountPath())
			.withDetail("callable", this.app.definition().module() + ":" + this.app.definition().callable());
		PoolStatistics pool = this.app.statistics();
		if (pool == null) {
			return Mono.just(builder.down().withDetail("reason", "the app is closed").build());
		}
		if (this.app.startup() != HostedApp.Startup.READY) {
			return Mono.just(builder.outOfService()
				.withDetail("startup", this.app.startup().description())
				.withDetail("waitingForFirstContext", this.app.startupWaiters().get())
				.withDetail("pool", pool)
				.build());
		}
		return Mono.just(assess(pool, builder).build());
	}

	/**
	 * Set the status that a pool in the given state stands for, with the pool as a detail.
	 * @param pool the pool's state
	 * @param builder the health to complete
	 * @return the builder
	 */
	static Health.Builder assess(PoolStatistics pool, Health.Builder builder) {
		builder.withDetail("pool", pool);
		if (pool.ready() == 0) {
			return builder.down()
				.withDetail("reason", "none of the " + pool.size() + " Python contexts is ready; requests get 503");
		}
		if (pool.ready() < pool.size()) {
			return builder.up()
				.withDetail("degraded", true)
				.withDetail("reason", pool.ready() + " of " + pool.size()
						+ " Python contexts are ready; the others are being replaced");
		}
		return builder.up();
	}

}
