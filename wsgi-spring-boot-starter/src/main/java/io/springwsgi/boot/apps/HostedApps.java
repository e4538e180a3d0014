package io.springwsgi.boot.apps;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.springwsgi.core.app.AppLoadException;
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

	/** How long closing every app may take when nothing else is said. */
	public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

	/** What a pool does at its deadline (interrupt, cancel in the background) takes a moment. */
	private static final Duration CLOSE_SLACK = Duration.ofSeconds(1);

	private static final Logger logger = LoggerFactory.getLogger(HostedApps.class);

	private final List<HostedApp> apps;

	private final Duration shutdownTimeout;

	private volatile boolean running;

	private volatile CompletableFuture<Void> startup = CompletableFuture.completedFuture(null);

	private volatile CompletableFuture<Void> loaded = CompletableFuture.completedFuture(null);

	/** Warm-up requests reach the app's beans, which must all exist by then. */
	private final CompletableFuture<Void> singletonsInstantiated = new CompletableFuture<>();

	/**
	 * Take charge of the apps; they are loaded by {@link #afterPropertiesSet()}.
	 * @param apps the apps, in configuration order
	 */
	public HostedApps(List<HostedApp> apps) {
		this(apps, DEFAULT_SHUTDOWN_TIMEOUT);
	}

	/**
	 * Take charge of the apps; they are loaded by {@link #afterPropertiesSet()}.
	 * @param apps the apps, in configuration order
	 * @param shutdownTimeout how long closing every app may take, all apps together
	 */
	public HostedApps(List<HostedApp> apps, Duration shutdownTimeout) {
		this.apps = List.copyOf(apps);
		this.shutdownTimeout = shutdownTimeout;
	}

	@Override
	public void afterPropertiesSet() {
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
		List<CompletableFuture<Void>> loads = new ArrayList<>(firsts);
		List<CompletableFuture<Void>> steps = new ArrayList<>(firsts);
		for (HostedApp app : starting) {
			CompletableFuture<Void> others = allFirsts.thenCompose((done) -> step(app, app::startOthers));
			loads.add(others);
			steps.add(others.thenCompose((done) -> this.singletonsInstantiated)
				.thenCompose((done) -> step(app, app::warmUp)));
		}
		this.loaded = firstFailureOrAll(loads);
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
	 * Completes when every context of every app is loaded, before the warm-ups, or exceptionally
	 * when one failed to load.
	 * @return the loading of the apps
	 */
	public CompletableFuture<Void> loaded() {
		return this.loaded.copy();
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

	private static Throwable loadFailure(HostedApp app, Throwable failure) {
		Throwable cause = unwrap(failure);
		if (cause instanceof AppLoadException ex) {
			AppDefinition definition = app.definition();
			return new WsgiConfigurationException(definition.property("module"), ex.getMessage(),
					LoadFailureAdvice.action(definition, ex), ex);
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

	/**
	 * The apps, in configuration order.
	 * @return the apps
	 */
	public List<HostedApp> apps() {
		return this.apps;
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

	/**
	 * Close every app within the shutdown timeout and wait for it.
	 */
	@Override
	public void stop() {
		CountDownLatch stopped = new CountDownLatch(1);
		stop(stopped::countDown);
		try {
			stopped.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Close every app at once, each on a thread of its own, within one deadline: running
	 * requests finish until then, and whatever still runs at the deadline is stopped without
	 * being waited for. {@code callback} runs at the deadline at the latest, so the service's
	 * shutdown never waits longer for the apps than the shutdown timeout, however many there
	 * are.
	 * @param callback what Spring runs once the apps are closed
	 */
	@Override
	public void stop(Runnable callback) {
		long deadline = System.nanoTime() + this.shutdownTimeout.toNanos();
		List<CompletableFuture<Void>> closing = new ArrayList<>();
		for (HostedApp app : this.apps) {
			CompletableFuture<Void> closed = new CompletableFuture<>();
			Thread.ofPlatform().name("springwsgi-close-" + app.name()).daemon().start(() -> {
				try {
					app.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
				}
				finally {
					closed.complete(null);
				}
			});
			closing.add(closed);
		}
		CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
			.completeOnTimeout(null, Math.max(0, deadline - System.nanoTime()) + CLOSE_SLACK.toNanos(),
					TimeUnit.NANOSECONDS)
			.whenComplete((done, failure) -> {
				List<String> open = new ArrayList<>();
				for (int i = 0; i < this.apps.size(); i++) {
					if (!closing.get(i).isDone()) {
						open.add(this.apps.get(i).name());
					}
				}
				if (!open.isEmpty()) {
					logger.warn("Python apps {} did not close within the shutdown timeout of {} (wsgi.shutdown-timeout); "
							+ "the service stops without waiting for them", open, this.shutdownTimeout);
				}
				this.running = false;
				callback.run();
			});
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
