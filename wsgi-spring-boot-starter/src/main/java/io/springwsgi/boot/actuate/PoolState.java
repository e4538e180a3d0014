package io.springwsgi.boot.actuate;

import io.springwsgi.boot.apps.HostedApp;
import io.springwsgi.core.asgi.AsgiApplication;
import io.springwsgi.core.pool.ExclusiveContextPool;
import io.springwsgi.core.wsgi.WsgiApplication;

/**
 * What the pool of contexts that serves an app is doing now, as the health indicator and the
 * endpoint report it.
 *
 * @param size contexts the pool is configured to hold
 * @param ready contexts loaded and able to take a request
 * @param active contexts running a request
 * @param waiting requests waiting for a free context
 * @param replaced contexts closed and created anew since the pool started (a reload starts a
 * new pool, so this counts from the last reload)
 */
public record PoolState(int size, int ready, int active, int waiting, int replaced) {

	/**
	 * The state of the pool that serves an app now.
	 * @param app the app
	 * @return its pool's state, or {@code null} while the app is closed
	 */
	public static PoolState of(HostedApp app) {
		WsgiApplication application = app.application();
		if (application != null) {
			return of(application.pool());
		}
		AsgiApplication asgi = app.asgiApplication();
		// An ASGI context is shared by its requests: active counts requests in flight, none waits.
		return (asgi != null) ? new PoolState(asgi.size(), asgi.ready(), asgi.inFlight(), 0, 0) : null;
	}

	/**
	 * The state of a pool.
	 * @param pool the pool
	 * @return its state
	 */
	public static PoolState of(ExclusiveContextPool pool) {
		return new PoolState(pool.size(), pool.ready(), pool.active(), pool.waiting(), pool.replacedContexts());
	}

}
