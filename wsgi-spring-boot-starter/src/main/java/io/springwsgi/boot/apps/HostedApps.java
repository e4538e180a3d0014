package io.springwsgi.boot.apps;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import io.springwsgi.boot.autoconfigure.WsgiConfigurationException;
import io.springwsgi.boot.autoconfigure.WsgiProperties;
import io.springwsgi.boot.autoconfigure.WsgiProperties.App;
import io.springwsgi.core.app.AppDirectories;
import io.springwsgi.core.app.AppDirectoryNotFoundException;
import io.springwsgi.core.app.AppLoadException;
import io.springwsgi.core.app.PythonApp;
import io.springwsgi.core.app.WarmUp;
import io.springwsgi.core.asgi.AsgiApplication;
import io.springwsgi.core.asgi.AsgiOptions;
import io.springwsgi.core.asgi.RootPathInPath;
import io.springwsgi.core.pool.PoolConfig;
import io.springwsgi.core.python.HostServices;
import io.springwsgi.core.python.PythonEngine;
import io.springwsgi.core.wsgi.WsgiApplication;
import io.springwsgi.core.wsgi.WsgiEnvironBuilder;
import io.springwsgi.core.wsgi.WsgiOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.SmartLifecycle;

/**
 * The Python apps of {@code wsgi.apps}: checked when this bean is created, then loaded in the
 * background while the rest of the application context starts, and closed after the web
 * server has stopped taking requests.
 *
 * <p>Loading goes in steps, so that every app serves as early as it can on few cores: the
 * first context of every app (all apps in parallel), then the other contexts of every app,
 * then each app's warm-up. {@link AppReadinessGate} holds the end of start-up, and with it
 * readiness, until every app is loaded and warmed up, and fails start-up if one does not load.
 */
public class HostedApps implements InitializingBean, SmartInitializingSingleton, SmartLifecycle, DisposableBean {

	/** After the web server's graceful shutdown, so in-flight requests finish first. */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);

	private static final Logger logger = LoggerFactory.getLogger(HostedApps.class);

	private final PythonEngine engine;

	private final WsgiProperties properties;

	private final String basePath;

	private final ClassLoader classLoader;

	private final BiFunction<Integer, App, HostServices> hostServices;

	private final List<HostedApp> apps = new ArrayList<>();

	private volatile boolean running;

	private volatile CompletableFuture<Void> startup = CompletableFuture.completedFuture(null);

	/** Warm-up requests reach the app's beans, which must all exist by then. */
	private final CompletableFuture<Void> singletonsInstantiated = new CompletableFuture<>();

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
		this.startup = startAll();
		this.running = true;
	}

	/**
	 * Load every app that is not running, in the background: first contexts, then the others,
	 * then the warm-ups.
	 * @return completes when every app is ready, or exceptionally as soon as one fails to load
	 */
	private CompletableFuture<Void> startAll() {
		List<HostedApp> starting = this.apps.stream().filter((app) -> !app.isRunning()).toList();
		if (!starting.isEmpty()) {
			logger.info("Loading {} Python app(s) in the background: {}", starting.size(),
					starting.stream().map(HostedApp::name).toList());
		}
		List<CompletableFuture<Void>> firsts = starting.stream().map(HostedApps::startFirst).toList();
		CompletableFuture<Void> allFirsts = CompletableFuture.allOf(firsts.toArray(CompletableFuture[]::new));
		List<CompletableFuture<Void>> steps = new ArrayList<>(firsts);
		for (HostedApp app : starting) {
			steps.add(allFirsts.thenCompose((done) -> step(app, app::startOthers))
				.thenCompose((done) -> this.singletonsInstantiated)
				.thenCompose((done) -> step(app, app::warmUp)));
		}
		return firstFailureOrAll(steps);
	}

	private static CompletableFuture<Void> startFirst(HostedApp app) {
		return step(app, app::startFirst);
	}

	/**
	 * One step of an app's start, its load failure turned into the configuration error that
	 * start-up reports.
	 */
	private static CompletableFuture<Void> step(HostedApp app, Supplier<CompletableFuture<Void>> step) {
		CompletableFuture<Void> result;
		try {
			result = step.get();
		}
		catch (RuntimeException ex) {
			result = CompletableFuture.failedFuture(ex);
		}
		return result.exceptionallyCompose((failure) -> CompletableFuture.failedFuture(loadFailure(app, failure)));
	}

	private static CompletableFuture<Void> firstFailureOrAll(List<CompletableFuture<Void>> futures) {
		CompletableFuture<Void> result = new CompletableFuture<>();
		futures.forEach((future) -> future.whenComplete((done, failure) -> {
			if (failure != null) {
				result.completeExceptionally(unwrap(failure));
			}
		}));
		CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenRun(() -> result.complete(null));
		return result;
	}

	/**
	 * Wait until every app is loaded and warmed up.
	 * @throws WsgiConfigurationException if an app failed to load
	 */
	public void awaitStartup() {
		try {
			this.startup.join();
		}
		catch (CompletionException ex) {
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime : ex;
		}
	}

	/**
	 * Completes when every app is loaded and warmed up, or exceptionally when one failed to load.
	 * @return the start-up of the apps
	 */
	public CompletableFuture<Void> startup() {
		return this.startup.copy();
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.singletonsInstantiated.complete(null);
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
				app.getEnv(), new PythonApp.Access(app.isInheritEnvironment(), app.isHostClassLookup()));
		int size = (app.getPool().getSize() != null) ? app.getPool().getSize()
				: WsgiProperties.Pool.defaultSize(app.getProtocol(), Runtime.getRuntime().availableProcessors());
		WarmUp warmUp = warmUp(index, app);
		PoolConfig pool = new PoolConfig(size, app.getPool().getAcquireTimeout(), app.getPool().getMaxWaiting(),
				app.getPool().getMaxRequests());
		String mountPath = this.basePath + WsgiEnvironBuilder.normalizeMountPath(app.getPath());
		HostServices host = this.hostServices.apply(index, app);
		if (app.getProtocol() == WsgiProperties.Protocol.ASGI) {
			AsgiOptions options = new AsgiOptions(mountPath, rootPathInPath(app.getRootPathInPath()), app.isDebug(),
					app.getMaxBodySize().toBytes(), app.getRequestTimeout(), app.getPool().getMaxInFlight());
			return new HostedApp(index, app, directory, size, warmUp,
					() -> new AsgiApplication(this.engine, pythonApp, host, size, options));
		}
		WsgiOptions options = new WsgiOptions(mountPath, app.isDebug(), app.getMaxBodySize().toBytes(),
				app.getRequestTimeout());
		return new HostedApp(index, app, directory, size, warmUp,
				() -> new WsgiApplication(this.engine, pythonApp, host, pool, options));
	}

	private static RootPathInPath rootPathInPath(Boolean configured) {
		if (configured == null) {
			return RootPathInPath.DETECT;
		}
		return configured ? RootPathInPath.INCLUDED : RootPathInPath.EXCLUDED;
	}

	private static Throwable loadFailure(HostedApp app, Throwable failure) {
		Throwable cause = unwrap(failure);
		if (cause instanceof AppLoadException ex) {
			return new WsgiConfigurationException(property(app.index(), "module"), ex.getMessage(),
					LoadFailureAdvice.action(app.index(), app.settings(), ex), ex);
		}
		return cause;
	}

	private static Throwable unwrap(Throwable failure) {
		Throwable current = failure;
		while (current instanceof CompletionException && current.getCause() != null) {
			current = current.getCause();
		}
		return current;
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

	public static String property(int index, String name) {
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
		// The apps began loading when this bean was created; they load again after a stop().
		this.startup = startAll();
		this.running = true;
		try {
			awaitStartup();
		}
		catch (RuntimeException ex) {
			this.apps.forEach((app) -> app.close(Duration.ZERO));
			this.running = false;
			throw ex;
		}
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
