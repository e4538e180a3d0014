package io.springwsgi.boot.autoconfigure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

import io.springwsgi.boot.apps.AppDefinition;
import io.springwsgi.boot.apps.HostedApp;
import io.springwsgi.boot.apps.WsgiConfigurationException;
import io.springwsgi.boot.autoconfigure.WsgiProperties.App;
import io.springwsgi.core.app.AppDirectories;
import io.springwsgi.core.app.AppDirectoryNotFoundException;
import io.springwsgi.core.app.PythonApp;
import io.springwsgi.core.app.WarmUp;
import io.springwsgi.core.asgi.AsgiApplication;
import io.springwsgi.core.asgi.AsgiOptions;
import io.springwsgi.core.asgi.RootPathInPath;
import io.springwsgi.core.http.MountPath;
import io.springwsgi.core.pool.PoolConfig;
import io.springwsgi.core.python.HostServices;
import io.springwsgi.core.python.PythonEngine;
import io.springwsgi.core.wsgi.WsgiApplication;
import io.springwsgi.core.wsgi.WsgiOptions;

import org.springframework.boot.context.properties.PropertyMapper;

/**
 * Turns {@code wsgi.apps} into {@link HostedApp}s: checks what binding cannot (unique names
 * and mount paths, directories that exist, warm-up requests that parse), resolves
 * {@code classpath:} directories, and maps the properties onto the core's types. What it
 * finds wrong fails start-up with a {@link WsgiConfigurationException} naming the property.
 */
final class HostedAppsFactory {

	private final PythonEngine engine;

	private final String basePath;

	private final ClassLoader classLoader;

	private final BiFunction<Integer, App, HostServices> hostServices;

	/**
	 * Create the factory.
	 * @param engine the shared engine
	 * @param basePath the web server's base path, prefixed to every mount path
	 * @param classLoader the class loader that sees {@code classpath:} directories
	 * @param hostServices what each app reaches of the host through {@code import spring}
	 */
	HostedAppsFactory(PythonEngine engine, String basePath, ClassLoader classLoader,
			BiFunction<Integer, App, HostServices> hostServices) {
		this.engine = engine;
		this.basePath = MountPath.normalize(basePath);
		this.classLoader = classLoader;
		this.hostServices = hostServices;
	}

	/**
	 * The apps of the configuration.
	 * @param properties the configuration
	 * @return the apps, in configuration order, none started
	 * @throws WsgiConfigurationException if the configuration is wrong
	 */
	List<HostedApp> create(WsgiProperties properties) {
		checkUnique(properties.getApps());
		List<HostedApp> apps = new ArrayList<>();
		for (int i = 0; i < properties.getApps().size(); i++) {
			apps.add(create(i, properties.getApps().get(i)));
		}
		return apps;
	}

	private static void checkUnique(List<App> configured) {
		Map<String, Integer> names = new HashMap<>();
		Map<String, Integer> paths = new HashMap<>();
		for (int i = 0; i < configured.size(); i++) {
			App app = configured.get(i);
			Integer sameName = names.putIfAbsent(app.getName(), i);
			if (sameName != null) {
				throw new WsgiConfigurationException(property(i, "name"), "apps " + sameName + " and " + i
						+ " are both named '" + app.getName() + "'", "Give each entry of wsgi.apps a unique name.");
			}
			String mount = MountPath.normalize(app.getPath());
			Integer samePath = paths.putIfAbsent(mount, i);
			if (samePath != null) {
				throw new WsgiConfigurationException(property(i, "path"),
						"apps '" + configured.get(samePath).getName() + "' and '" + app.getName()
								+ "' are both mounted at '" + mount + "'",
						"Mount each app at a path of its own.");
			}
		}
	}

	private HostedApp create(int index, App app) {
		PropertyMapper map = PropertyMapper.get();
		Path directory = resolve(index, "directory", app.getDirectory(), app,
				"Point wsgi.apps[" + index + "].directory at the directory that holds module '" + app.getModule()
						+ "': 'classpath:python/" + app.getName() + "' for src/main/resources/python/" + app.getName()
						+ ", or a file system path.");
		List<Path> pythonPath = new ArrayList<>();
		for (int i = 0; i < app.getPythonPath().size(); i++) {
			pythonPath.add(resolve(index, "python-path[" + i + "]", app.getPythonPath().get(i), app,
					"List directories that exist: 'classpath:...' for packages inside the jar, or a file system "
							+ "path such as a virtual environment's site-packages."));
		}
		PythonApp pythonApp = map.from(app::getEnv)
			.to(PythonApp.of(app.getName(), directory, app.getModule(), app.getCallable())
				.withPythonPath(pythonPath)
				.withAccess(new PythonApp.Access(app.isInheritEnvironment(), app.isHostClassLookup())),
					PythonApp::withEnvironment);
		WsgiProperties.Pool poolProperties = app.getPool();
		int size = map.from(poolProperties::getSize)
			.orFrom(() -> WsgiProperties.Pool.defaultSize(app.getProtocol(), Runtime.getRuntime().availableProcessors()))
			.toInstance(Integer::intValue);
		PoolConfig pool = PoolConfig.ofSize(size);
		pool = map.from(poolProperties::getAcquireTimeout).to(pool, PoolConfig::withAcquireTimeout);
		pool = map.from(poolProperties::getMaxWaiting).to(pool, PoolConfig::withMaxWaiting);
		pool = map.from(poolProperties::getMaxRequests).to(pool, PoolConfig::withMaxRequestsPerContext);
		String mountPath = this.basePath + MountPath.normalize(app.getPath());
		long maxBodySize = app.getMaxBodySize().toBytes();
		HostServices host = this.hostServices.apply(index, app);
		AppDefinition definition = definition(index, app, pool);
		WarmUp warmUp = warmUp(index, app);
		if (definition.isAsgi()) {
			AsgiOptions options = new AsgiOptions(mountPath, rootPathInPath(app.getRootPathInPath()), app.isDebug(), maxBodySize,
					app.getRequestTimeout(), poolProperties.getMaxInFlight(), poolProperties.getMaxRequests());
			return new HostedApp(definition, directory, warmUp,
					() -> new AsgiApplication(this.engine, pythonApp, host, size, options));
		}
		WsgiOptions options = new WsgiOptions(mountPath, app.isDebug(), maxBodySize, app.getRequestTimeout());
		PoolConfig wsgiPool = pool;
		return new HostedApp(definition, directory, warmUp,
				() -> new WsgiApplication(this.engine, pythonApp, host, wsgiPool, options));
	}

	private static RootPathInPath rootPathInPath(Boolean configured) {
		if (configured == null) {
			return RootPathInPath.DETECT;
		}
		return configured ? RootPathInPath.INCLUDED : RootPathInPath.EXCLUDED;
	}

	private static AppDefinition definition(int index, App app, PoolConfig pool) {
		return new AppDefinition(index, app.getName(), MountPath.normalize(app.getPath()), app.getDirectory(),
				app.getModule(), app.getCallable(), app.getProtocol().name().toLowerCase(Locale.ROOT), app.isDebug(),
				app.getPythonPath(), app.getBeans(), app.getMaxBodySize().toString(), app.getRequestTimeout(),
				new AppDefinition.PoolDefinition(pool.size(), pool.acquireTimeout(), pool.maxWaiting(),
						pool.maxRequestsPerContext()),
				// Netty counts a frame's payload in an int.
				(int) Math.min(app.getWebsocket().getMaxMessageSize().toBytes(), Integer.MAX_VALUE));
	}

	private Path resolve(int index, String property, String location, App app, String action) {
		try {
			return AppDirectories.resolve(location, this.classLoader);
		}
		catch (AppDirectoryNotFoundException ex) {
			throw new WsgiConfigurationException(property(index, property),
					"app '" + app.getName() + "': " + ex.getMessage(), action, ex);
		}
	}

	private static WarmUp warmUp(int index, App app) {
		WsgiProperties.WarmUp settings = app.getWarmUp();
		List<String> requests = settings.getRequests();
		for (int i = 0; i < requests.size(); i++) {
			try {
				WarmUp.method(requests.get(i));
			}
			catch (IllegalArgumentException ex) {
				throw new WsgiConfigurationException(property(index, "warm-up.requests[" + i + "]"),
						"app '" + app.getName() + "': " + ex.getMessage(),
						"Write each warm-up request as a method and a path below the app's mount path: 'GET /' or "
								+ "'GET /posts?limit=1'.");
			}
		}
		return new WarmUp(requests, settings.getRounds(), settings.getMaxDuration());
	}

	static String property(int index, String name) {
		return "wsgi.apps[" + index + "]." + name;
	}

}
