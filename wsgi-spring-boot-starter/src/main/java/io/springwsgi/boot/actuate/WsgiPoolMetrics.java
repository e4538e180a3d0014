package io.springwsgi.boot.actuate;

import java.util.List;
import java.util.function.ToIntFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.springwsgi.boot.apps.HostedApp;
import io.springwsgi.boot.apps.HostedApps;
import io.springwsgi.core.pool.ContextPool;
import io.springwsgi.core.pool.PoolStatistics;

/**
 * Gauges of the context pool of each hosted app, tagged with the app's name:
 * {@code wsgi.pool.size}, {@code wsgi.pool.ready}, {@code wsgi.pool.active},
 * {@code wsgi.pool.waiting}, and the counter {@code wsgi.pool.replaced}. They read the pool
 * that serves the app when they are sampled, so they follow an app across reloads; while an
 * app is closed its gauges are {@code NaN}. They read the pool's {@link PoolStatistics}, the
 * same for both protocols: for an ASGI app, whose contexts are shared by their requests,
 * {@code active} counts requests in flight and none waits or is replaced.
 */
public class WsgiPoolMetrics implements MeterBinder {

	private static final String CONTEXTS = "contexts";

	private final List<HostedApp> apps;

	/** Held here because a function counter keeps only a weak reference to what it reads. */
	private final List<ReplacedContexts> replaced;

	/**
	 * Create the binder.
	 * @param apps the apps to measure
	 */
	public WsgiPoolMetrics(HostedApps apps) {
		this.apps = apps.apps();
		this.replaced = this.apps.stream().map(ReplacedContexts::new).toList();
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (int i = 0; i < this.apps.size(); i++) {
			HostedApp app = this.apps.get(i);
			gauge(registry, app, "wsgi.pool.size", "Python contexts the app's pool holds", CONTEXTS,
					PoolStatistics::size);
			gauge(registry, app, "wsgi.pool.ready", "Python contexts of the app loaded and able to take a request",
					CONTEXTS, PoolStatistics::ready);
			gauge(registry, app, "wsgi.pool.active", "Python contexts of the app running a request (for ASGI, "
					+ "requests in flight)", CONTEXTS, PoolStatistics::active);
			gauge(registry, app, "wsgi.pool.waiting", "Requests waiting for a free Python context of the app",
					"requests", PoolStatistics::waiting);
			FunctionCounter.builder("wsgi.pool.replaced", this.replaced.get(i), ReplacedContexts::count)
				.description("Python contexts of the app closed and created anew after a timeout, a failure "
						+ "or their request limit")
				.baseUnit(CONTEXTS)
				.tag("app", app.name())
				.register(registry);
		}
	}

	private static void gauge(MeterRegistry registry, HostedApp app, String name, String description,
			String baseUnit, ToIntFunction<PoolStatistics> value) {
		Gauge.builder(name, app, (measured) -> {
			PoolStatistics state = measured.statistics();
			return (state != null) ? value.applyAsInt(state) : Double.NaN;
		}).description(description).baseUnit(baseUnit).tag("app", app.name()).strongReference(true).register(registry);
	}

	/**
	 * Replaced contexts of an app since start-up. Each reload starts a pool that counts from
	 * zero, so the count of a retired pool is carried over to keep the counter monotonic. The
	 * switch is noticed when the counter is read: a pool that came and went between two reads
	 * (two reloads in quick succession) is missed, and the counter then counts low.
	 */
	private static final class ReplacedContexts {

		private final HostedApp app;

		private ContextPool pool;

		private long retired;

		ReplacedContexts(HostedApp app) {
			this.app = app;
		}

		synchronized double count() {
			ContextPool current = this.app.pool();
			if (current != null && current != this.pool) {
				if (this.pool != null) {
					this.retired += this.pool.statistics().replaced();
				}
				this.pool = current;
			}
			return this.retired + ((this.pool != null) ? this.pool.statistics().replaced() : 0);
		}

	}

}
