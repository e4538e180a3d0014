package io.springwsgi.boot;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;

import io.springwsgi.boot.WsgiProperties.App;
import io.springwsgi.core.asgi.AsgiApplication;
import io.springwsgi.core.asgi.AsgiOptions;
import io.springwsgi.core.python.AppDirectories;
import io.springwsgi.core.python.AppDirectoryNotFoundException;
import io.springwsgi.core.python.AppLoadException;
import io.springwsgi.core.python.HostServices;
import io.springwsgi.core.python.PoolConfig;
import io.springwsgi.core.python.PythonApp;
import io.springwsgi.core.python.PythonEngine;
import io.springwsgi.core.wsgi.WsgiApplication;
import io.springwsgi.core.wsgi.WsgiEnvironBuilder;
import io.springwsgi.core.wsgi.WsgiOptions;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.SmartLifecycle;

/**
 * The Python apps of {@code wsgi.apps}, checked, loaded and started together when the
 * application context starts, and closed after the web server has stopped taking requests.
 */
public class HostedApps implements InitializingBean, SmartLifecycle, DisposableBean {

	/** After the web server's graceful shutdown, so in-flight requests finish first. */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);

	private final PythonEngine engine;

	private final WsgiProperties properties;

	private final String basePath;

	private final ClassLoader classLoader;

	private final BiFunction<Integer, App, HostServices> hostServices;

	private final List<HostedApp> apps = new ArrayList<>();

	private volatile boolean running;

	/**
	 * Create the apps; they are loaded by {@link #afterPropertiesSet()}.
	 * @param engine the shared engine
	 * @param properties the configuration
	 * @param basePath the web server's base path, prefixed to every mount path
	 * @param classLoader the class loader that sees {@code classpath:} directories
	 * @param hostServices what each app reaches of the host through {@code import spring}
	 */
	public HostedApps(PythonEngine engine, WsgiProperties properties, String basePath, ClassLoader classLoader,
			BiFunction<Integer, App, HostServices> hostServices) {
		this.engine = engine;
		this.properties = properties;
		this.basePath = WsgiEnvironBuilder.normalizeMountPath(basePath);
		this.classLoader = classLoader;
		this.hostServices = hostServices;
	}

	@Override
	public void afterPropertiesSet() {
		checkUnique();
		for (int i = 0; i < this.properties.getApps().size(); i++) {
			this.apps.add(create(i, this.properties.getApps().get(i)));
		}
		startAll();
	}

	/**
	 * Load every app that is not running, all at once; if one fails, close them all.
	 */
	private void startAll() {
		List<CompletableFuture<Void>> starts = new ArrayList<>();
		for (HostedApp app : this.apps) {
			if (!app.isRunning()) {
				starts.add(CompletableFuture.runAsync(() -> start(app)));
			}
		}
		try {
			starts.forEach(CompletableFuture::join);
		}
		catch (CompletionException ex) {
			this.apps.forEach((app) -> app.close(Duration.ZERO));
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime : ex;
		}
		this.running = true;
	}

	private void checkUnique() {
		Map<String, Integer> names = new HashMap<>();
		Map<String, Integer> paths = new HashMap<>();
		List<App> configured = this.properties.getApps();
		for (int i = 0; i < configured.size(); i++) {
			App app = configured.get(i);
			Integer sameName = names.putIfAbsent(app.getName(), i);
			if (sameName != null) {
				throw new WsgiConfigurationException(property(i, "name"), "apps " + sameName + " and " + i
						+ " are both named '" + app.getName() + "'", "Give each entry of wsgi.apps a unique name.");
			}
			String mount = WsgiEnvironBuilder.normalizeMountPath(app.getPath());
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
		Path directory;
		try {
			directory = AppDirectories.resolve(app.getDirectory(), this.classLoader);
		}
		catch (AppDirectoryNotFoundException ex) {
			throw new WsgiConfigurationException(property(index, "directory"),
					"app '" + app.getName() + "': " + ex.getMessage(),
					"Point wsgi.apps[" + index + "].directory at the directory that holds module '" + app.getModule()
							+ "': 'classpath:python/" + app.getName()
							+ "' for src/main/resources/python/" + app.getName() + ", or a file system path.",
					ex);
		}
		List<Path> pythonPath = new ArrayList<>();
		for (int i = 0; i < app.getPythonPath().size(); i++) {
			String entry = app.getPythonPath().get(i);
			try {
				pythonPath.add(AppDirectories.resolve(entry, this.classLoader));
			}
			catch (AppDirectoryNotFoundException ex) {
				throw new WsgiConfigurationException(property(index, "python-path[" + i + "]"),
						"app '" + app.getName() + "': " + ex.getMessage(),
						"List directories that exist: 'classpath:...' for packages inside the jar, or a file system "
								+ "path such as a virtual environment's site-packages.",
						ex);
			}
		}
		PythonApp pythonApp = new PythonApp(app.getName(), directory, app.getModule(), app.getCallable(), pythonPath,
				app.getEnv());
		PoolConfig pool = new PoolConfig(app.getPool().getSize(), app.getPool().getAcquireTimeout(),
				app.getPool().getMaxWaiting(), app.getPool().getMaxRequests());
		String mountPath = this.basePath + WsgiEnvironBuilder.normalizeMountPath(app.getPath());
		HostServices host = this.hostServices.apply(index, app);
		if (app.getProtocol() == WsgiProperties.Protocol.ASGI) {
			AsgiOptions options = new AsgiOptions(mountPath, app.isRootPathInPath(), app.isDebug(),
					app.getMaxBodySize().toBytes(), app.getRequestTimeout(), app.getPool().getMaxInFlight());
			return new HostedApp(index, app, directory,
					() -> new AsgiApplication(this.engine, pythonApp, host, app.getPool().getSize(), options));
		}
		WsgiOptions options = new WsgiOptions(mountPath, app.isDebug(), app.getMaxBodySize().toBytes(),
				app.getRequestTimeout());
		return new HostedApp(index, app, directory, () -> new WsgiApplication(this.engine, pythonApp, host, pool, options));
	}

	private static void start(HostedApp app) {
		try {
			app.start();
		}
		catch (AppLoadException ex) {
			throw new WsgiConfigurationException(property(app.index(), "module"), ex.getMessage(),
					"Check that wsgi.apps[" + app.index() + "].module ('" + app.settings().getModule()
							+ "') and .callable ('" + app.settings().getCallable() + "') name a callable that "
							+ "imports from .directory, and that .python-path lists where the packages it imports "
							+ "are installed. The Python traceback above says what failed.",
					ex);
		}
	}

	static String property(int index, String name) {
		return "wsgi.apps[" + index + "]." + name;
	}

	/**
	 * The apps, in configuration order.
	 * @return the apps
	 */
	public List<HostedApp> apps() {
		return List.copyOf(this.apps);
	}

	@Override
	public void start() {
		// The apps were loaded when the context refreshed; they load again after a stop().
		startAll();
	}

	@Override
	public void stop() {
		this.apps.forEach((app) -> app.close(SHUTDOWN_GRACE));
		this.running = false;
	}

	/**
	 * Close whatever is still open: after {@link #stop()} nothing is, but a context whose
	 * refresh failed destroys its beans without stopping them.
	 */
	@Override
	public void destroy() {
		this.apps.forEach((app) -> app.close(Duration.ZERO));
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
