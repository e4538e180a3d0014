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
 * {@code wsgi.pool.waiting}, and the counters {@code wsgi.pool.replaced} and
 * {@code wsgi.pool.abandoned}. They read the pool
 * that serves the app when they are sampled, so they follow an app across reloads; while an
 * app is closed its gauges are {@code NaN}. They read the pool's {@link PoolStatistics}, the
 * same for both protocols: for an ASGI app, whose contexts are shared by their requests,
 * {@code active} counts requests in flight and none waits or is replaced.
 */
public class WsgiPoolMetrics implements MeterBinder {

	private static final String CONTEXTS = "contexts";

	private final List<HostedApp> apps;

	/** Held here because a function counter keeps only a weak reference to what it reads. */
	private final List<PoolCount> replaced;

	private final List<PoolCount> abandoned;

	/**
	 * Create the binder.
	 * @param apps the apps to measure
	 */
	public WsgiPoolMetrics(HostedApps apps) {
		this.apps = apps.apps();
		this.replaced = this.apps.stream().map((app) -> new PoolCount(app, PoolStatistics::replaced)).toList();
		this.abandoned = this.apps.stream().map((app) -> new PoolCount(app, PoolStatistics::abandoned)).toList();
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
			counter(registry, app, "wsgi.pool.replaced", "Python contexts of the app closed and created anew after "
					+ "a timeout, a failure or their request limit", this.replaced.get(i));
			counter(registry, app, "wsgi.pool.abandoned", "Python contexts of the app given up, and replaced, while "
					+ "a thread that neither an interrupt nor a cancel stopped still ran in them; each holds its "
					+ "memory until that thread returns", this.abandoned.get(i));
		}
	}

	private static void counter(MeterRegistry registry, HostedApp app, String name, String description,
			PoolCount count) {
		FunctionCounter.builder(name, count, PoolCount::count)
			.description(description)
			.baseUnit(CONTEXTS)
			.tag("app", app.name())
			.register(registry);
	}

	private static void gauge(MeterRegistry registry, HostedApp app, String name, String description,
			String baseUnit, ToIntFunction<PoolStatistics> value) {
		Gauge.builder(name, app, (measured) -> {
			PoolStatistics state = measured.statistics();
			return (state != null) ? value.applyAsInt(state) : Double.NaN;
		}).description(description).baseUnit(baseUnit).tag("app", app.name()).strongReference(true).register(registry);
	}

	/**
	 * A count of an app's pool since start-up. Each reload starts a pool that counts from
	 * zero, so the count of a retired pool is carried over to keep the counter monotonic. The
	 * switch is noticed when the counter is read: a pool that came and went between two reads
	 * (two reloads in quick succession) is missed, and the counter then counts low.
	 */
	private static final class PoolCount {

		private final HostedApp app;

		private final ToIntFunction<PoolStatistics> value;

		private ContextPool pool;

		private long retired;

		PoolCount(HostedApp app, ToIntFunction<PoolStatistics> value) {
			this.app = app;
			this.value = value;
		}

		synchronized double count() {
			ContextPool current = this.app.pool();
			if (current != null && current != this.pool) {
				if (this.pool != null) {
					this.retired += this.value.applyAsInt(this.pool.statistics());
				}
				this.pool = current;
			}
			return this.retired + ((this.pool != null) ? this.value.applyAsInt(this.pool.statistics()) : 0);
		}

	}

}
