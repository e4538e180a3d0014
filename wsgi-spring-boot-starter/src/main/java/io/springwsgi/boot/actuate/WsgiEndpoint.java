package io.springwsgi.boot.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import io.springwsgi.boot.apps.AppDefinition;
import io.springwsgi.boot.apps.HostedApp;
import io.springwsgi.boot.apps.HostedApps;
import io.springwsgi.core.app.AppLoadException;
import io.springwsgi.core.pool.PoolStatistics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code wsgi} actuator endpoint: the hosted Python apps with their configuration and the
 * state of their pools ({@code GET /actuator/wsgi}, {@code GET /actuator/wsgi/{name}}), and a
 * reload of one app into a fresh pool ({@code POST /actuator/wsgi/{name}}), which answers once
 * the new pool serves. An unknown name answers 404 ({@link WsgiEndpointWebExtension} gives the
 * reload its HTTP statuses). The apps' {@code env} is left out, as it may hold secrets.
 * <p>
 * The endpoint is read-only unless {@code management.endpoint.wsgi.access} is
 * {@code unrestricted}: a reload imports the app anew in a second pool, so it costs what the
 * app's start-up costs. One reload runs at a time; another asked for meanwhile is refused
 * ({@link ReloadInProgressException}) rather than queued.
 */
@Endpoint(id = "wsgi", defaultAccess = Access.READ_ONLY)
public class WsgiEndpoint {

	private static final Logger logger = LoggerFactory.getLogger(WsgiEndpoint.class);

	private final HostedApps apps;

	private final ReentrantLock reloading = new ReentrantLock();

	/**
	 * Create the endpoint.
	 * @param apps the apps it reports on
	 */
	public WsgiEndpoint(HostedApps apps) {
		this.apps = apps;
	}

	/**
	 * All apps, by name, in configuration order.
	 * @return the apps
	 */
	@ReadOperation
	public AppsDescriptor apps() {
		Map<String, AppDescriptor> described = new LinkedHashMap<>();
		for (HostedApp app : this.apps.apps()) {
			described.put(app.name(), AppDescriptor.of(app));
		}
		return new AppsDescriptor(described);
	}

	/**
	 * One app.
	 * @param name the app's name
	 * @return the app, or {@code null} (404) if no app has that name
	 */
	@ReadOperation
	public AppDescriptor app(@Selector String name) {
		HostedApp app = find(name);
		return (app != null) ? AppDescriptor.of(app) : null;
	}

	/**
	 * Load one app anew into a fresh pool and switch its requests to it; requests in flight
	 * finish on the old pool. Blocks until the new pool is ready.
	 * @param name the app's name
	 * @return the app as it is after the reload, or {@code null} if no app has that name
	 * @throws AppLoadException if the app no longer loads; the old pool keeps serving
	 * @throws ReloadInProgressException if a reload is running already
	 */
	@WriteOperation
	public AppDescriptor reload(@Selector String name) {
		HostedApp app = find(name);
		if (app == null) {
			return null;
		}
		if (!this.reloading.tryLock()) {
			throw new ReloadInProgressException(name);
		}
		try {
			logger.info("Reloading Python app '{}' on request of the wsgi endpoint", name);
			app.reload();
		}
		catch (AppLoadException ex) {
			logger.error("Python app '{}' did not reload; its previous pool keeps serving", name, ex);
			throw ex;
		}
		finally {
			this.reloading.unlock();
		}
		return AppDescriptor.of(app);
	}

	/**
	 * Whether the named app runs in debug mode, where its Python errors may be shown.
	 * @param name the app's name
	 * @return {@code true} if an app of that name has {@code debug} set
	 */
	boolean isDebug(String name) {
		HostedApp app = find(name);
		return app != null && app.definition().debug();
	}

	private HostedApp find(String name) {
		for (HostedApp app : this.apps.apps()) {
			if (app.name().equals(name)) {
				return app;
			}
		}
		return null;
	}

	/**
	 * The hosted apps.
	 * @param apps the apps by name
	 */
	public record AppsDescriptor(Map<String, AppDescriptor> apps) implements OperationResponseBody {

	}

	/**
	 * One hosted app: its configuration under {@code wsgi.apps}, and its pool's state now.
	 * Durations and sizes are given as Spring Boot binds them ({@code PT5S}, {@code 1024B}).
	 * @param name the app's name
	 * @param path its mount path
	 * @param directory the directory of its code, as configured
	 * @param module the module imported
	 * @param callable the callable in the module
	 * @param protocol {@code wsgi} or {@code asgi}
	 * @param debug whether it runs in debug mode
	 * @param pythonPath further {@code sys.path} entries
	 * @param beans the Spring beans it may use
	 * @param maxBodySize the largest request body it receives
	 * @param requestTimeout the longest time a request may run
	 * @param pool the pool's configuration
	 * @param state the pool's state, {@code null} while the app is closed
	 * @param corrections the corrections of known GraalPy incompatibilities its contexts applied
	 */
	public record AppDescriptor(String name, String path, String directory, String module, String callable,
			String protocol, boolean debug, List<String> pythonPath, List<String> beans, String maxBodySize,
			String requestTimeout, PoolDescriptor pool, PoolStatistics state,
			List<String> corrections) implements OperationResponseBody {

		static AppDescriptor of(HostedApp app) {
			AppDefinition definition = app.definition();
			AppDefinition.PoolDefinition pool = definition.pool();
			return new AppDescriptor(app.name(), app.mountPath(), definition.directory(), definition.module(),
					definition.callable(), definition.protocol(), definition.debug(), definition.pythonPath(),
					definition.beans(), definition.maxBodySize(), definition.requestTimeout().toString(),
					new PoolDescriptor(pool.size(), pool.acquireTimeout().toString(), pool.maxWaiting(),
							pool.maxRequests()),
					app.statistics(), app.corrections());
		}

	}

	/**
	 * The configuration of an app's pool.
	 * @param size the number of contexts
	 * @param acquireTimeout the longest wait for a free context
	 * @param maxWaiting the most requests waiting at once
	 * @param maxRequests the requests after which a context is replaced, 0 for never
	 */
	public record PoolDescriptor(int size, String acquireTimeout, int maxWaiting, int maxRequests) {

	}

}
