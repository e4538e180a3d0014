package io.springwsgi.boot.apps;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.springwsgi.core.app.AppServer;
import io.springwsgi.core.app.WarmUp;
import io.springwsgi.core.asgi.AsgiApplication;
import io.springwsgi.core.pool.ContextPool;
import io.springwsgi.core.pool.PoolStatistics;
import io.springwsgi.core.wsgi.WsgiApplication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One app of {@code wsgi.apps} while the service runs. It starts in steps, each in the
 * background: its first context ({@link #startFirst()}), from when on it serves requests, then
 * its other contexts ({@link #startOthers()}), then the warm-up ({@link #warmUp()}), after which
 * it is {@link Startup#READY ready}. A reload starts a new pool of contexts and switches requests
 * to it once it is ready and warmed up; requests in flight finish on the old pool, which is
 * closed after them.
 */
public final class HostedApp {

	private static final Logger logger = LoggerFactory.getLogger(HostedApp.class);

	private static final Duration RETIRE_GRACE = Duration.ofSeconds(60);

	private final AppDefinition definition;

	private final Path directory;

	private final WarmUp warmUp;

	private final Supplier<AppServer> factory;

	private final AtomicReference<AppServer> current = new AtomicReference<>();

	private final Object reloadLock = new Object();

	private volatile CompletableFuture<Void> serving = new CompletableFuture<>();

	private volatile Startup startup = Startup.LOADING;

	private final AtomicInteger startupWaiters = new AtomicInteger();

	/**
	 * Create the app; nothing is loaded until {@link #startFirst()}.
	 * @param definition what it was configured with
	 * @param directory the directory its code is loaded from, resolved
	 * @param warmUp the requests replayed before it is ready
	 * @param factory creates the app's server, with its pool, anew at each start and reload
	 */
	public HostedApp(AppDefinition definition, Path directory, WarmUp warmUp, Supplier<AppServer> factory) {
		this.definition = definition;
		this.directory = directory;
		this.warmUp = warmUp;
		this.factory = factory;
	}

	/**
	 * Load the app into its first context, in the background.
	 * @return completes once it serves requests, or exceptionally with
	 * {@link io.springwsgi.core.app.AppLoadException}
	 */
	CompletableFuture<Void> startFirst() {
		AppServer application = this.factory.get();
		CompletableFuture<Void> loaded = new CompletableFuture<>();
		this.serving = loaded;
		this.startup = Startup.LOADING;
		this.current.set(application);
		return application.startFirst().whenComplete((done, failure) -> {
			if (failure == null) {
				this.startup = Startup.LOADING_OTHERS;
				loaded.complete(null);
			}
			else {
				loaded.completeExceptionally(failure);
			}
		});
	}

	/**
	 * Create the other contexts, in the background, once the first serves.
	 * @return completes when every context is loaded
	 */
	CompletableFuture<Void> startOthers() {
		return running().startOthers();
	}

	/**
	 * Replay the warm-up requests against each context; the app is ready after them.
	 * @return completes when the app is ready
	 */
	CompletableFuture<Void> warmUp() {
		this.startup = Startup.WARMING_UP;
		return running().warmUp(this.warmUp).thenRun(() -> this.startup = Startup.READY);
	}

	private AppServer running() {
		AppServer application = this.current.get();
		if (application == null) {
			throw new IllegalStateException("Python app '" + name() + "' is closed");
		}
		return application;
	}

	/**
	 * Load the app and warm it up, waiting for all of it.
	 */
	void start() {
		startFirst().thenCompose((first) -> startOthers()).thenCompose((others) -> warmUp()).join();
	}

	/**
	 * Load the app anew into a fresh pool and switch to it; the old pool finishes its
	 * requests, then closes.
	 * @throws io.springwsgi.core.app.AppLoadException if the app no longer loads; the old
	 * pool then keeps serving
	 */
	public void reload() {
		synchronized (this.reloadLock) {
			long start = System.nanoTime();
			AppServer fresh = this.factory.get();
			try {
				fresh.start();
				fresh.warmUp(this.warmUp).join();
			}
			catch (RuntimeException ex) {
				fresh.close(Duration.ZERO);
				throw ex;
			}
			AppServer old = this.current.getAndSet(fresh);
			logger.info("Python app '{}' reloaded in {} ms", name(), (System.nanoTime() - start) / 1_000_000);
			if (old != null) {
				// Not the common pool: closing waits for requests, and its few threads serve others.
				Thread.ofPlatform().name("wsgi-retire-" + name()).daemon().start(() -> old.close(RETIRE_GRACE));
			}
		}
	}

	/**
	 * The corrections of known GraalPy incompatibilities that the app's contexts applied.
	 * @return one line each, empty when the app is closed
	 */
	public List<String> corrections() {
		AppServer application = this.current.get();
		return (application != null) ? application.corrections() : List.of();
	}

	/**
	 * The server that serves requests now.
	 * @param <S> the server's type
	 * @param type {@code WsgiApplication} or {@code AsgiApplication}, as the app's protocol says
	 * @return the current server, or {@code null} when the app is closed
	 */
	public <S extends AppServer> S server(Class<S> type) {
		AppServer server = this.current.get();
		return type.isInstance(server) ? type.cast(server) : null;
	}

	/**
	 * What the pool that serves requests now is doing.
	 * @return its statistics, or {@code null} while the app is closed
	 */
	public PoolStatistics statistics() {
		AppServer server = this.current.get();
		return (server != null) ? server.pool().statistics() : null;
	}

	/**
	 * The pool that serves requests now; a reload replaces it.
	 * @return the pool, or {@code null} while the app is closed
	 */
	public ContextPool pool() {
		AppServer server = this.current.get();
		return (server != null) ? server.pool() : null;
	}

	/**
	 * Completes once the app's first context serves requests: requests that arrive before wait
	 * for it.
	 * @return the first context's loading; completes exceptionally if the app fails to load
	 */
	public CompletableFuture<Void> serving() {
		return this.serving;
	}

	/**
	 * How far the app has come in starting.
	 * @return the step it is at, {@link Startup#READY} once it is loaded and warmed up
	 */
	public Startup startup() {
		return this.startup;
	}

	/**
	 * Counts the requests that wait for the first context to load.
	 * @return the counter
	 */
	public AtomicInteger startupWaiters() {
		return this.startupWaiters;
	}

	/**
	 * Its position in {@code wsgi.apps}.
	 * @return the index
	 */
	public int index() {
		return this.definition.index();
	}

	/**
	 * Its name.
	 * @return the name
	 */
	public String name() {
		return this.definition.name();
	}

	/**
	 * What it was configured with.
	 * @return the definition
	 */
	public AppDefinition definition() {
		return this.definition;
	}

	/**
	 * The directory its code is loaded from, {@code classpath:} locations resolved.
	 * @return the directory
	 */
	public Path directory() {
		return this.directory;
	}

	/**
	 * The path it is mounted at, without trailing slash.
	 * @return the mount path
	 */
	public String mountPath() {
		return this.definition.mountPath();
	}

	boolean isRunning() {
		return this.current.get() != null;
	}

	/**
	 * The steps of an app's start.
	 */
	public enum Startup {

		/** Its first context is loading; requests wait for it. */
		LOADING("loading its first context"),

		/** It serves requests while its other contexts load. */
		LOADING_OTHERS("serving while its other contexts load"),

		/** It serves requests while warm-up requests run on each context. */
		WARMING_UP("serving while warm-up requests run"),

		/** Loaded and warmed up. */
		READY("ready");

		private final String description;

		Startup(String description) {
			this.description = description;
		}

		/**
		 * What the app does in this step, for health details.
		 * @return the description
		 */
		public String description() {
			return this.description;
		}

	}

	void close(Duration grace) {
		AppServer application = this.current.getAndSet(null);
		if (application != null) {
			application.close(grace);
		}
	}

}
