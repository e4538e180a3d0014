package io.springwsgi.boot;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.springwsgi.boot.WsgiProperties.App;
import io.springwsgi.core.asgi.AsgiApplication;
import io.springwsgi.core.python.AppServer;
import io.springwsgi.core.wsgi.WsgiApplication;
import io.springwsgi.core.wsgi.WsgiEnvironBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One app of {@code wsgi.apps} while the service runs. A reload starts a new pool of contexts
 * and switches requests to it once it is ready; requests in flight finish on the old pool,
 * which is closed after them.
 */
public final class HostedApp {

	private static final Logger logger = LoggerFactory.getLogger(HostedApp.class);

	private static final Duration RETIRE_GRACE = Duration.ofSeconds(60);

	private final int index;

	private final App settings;

	private final Path directory;

	private final Supplier<AppServer> factory;

	private final AtomicReference<AppServer> current = new AtomicReference<>();

	private final Object reloadLock = new Object();

	HostedApp(int index, App settings, Path directory, Supplier<AppServer> factory) {
		this.index = index;
		this.settings = settings;
		this.directory = directory;
		this.factory = factory;
	}

	void start() {
		AppServer application = this.factory.get();
		application.start();
		this.current.set(application);
	}

	/**
	 * Load the app anew into a fresh pool and switch to it; the old pool finishes its
	 * requests, then closes.
	 * @throws io.springwsgi.core.python.AppLoadException if the app no longer loads; the old
	 * pool then keeps serving
	 */
	public void reload() {
		synchronized (this.reloadLock) {
			long start = System.nanoTime();
			AppServer fresh = this.factory.get();
			fresh.start();
			AppServer old = this.current.getAndSet(fresh);
			logger.info("Python app '{}' reloaded in {} ms", name(), (System.nanoTime() - start) / 1_000_000);
			if (old != null) {
				// Not the common pool: closing waits for requests, and its few threads serve others.
				Thread.ofPlatform().name("wsgi-retire-" + name()).daemon().start(() -> old.close(RETIRE_GRACE));
			}
		}
	}

	/**
	 * The pool that serves requests now, if the app speaks WSGI.
	 * @return the current application, or {@code null} when the app is closed or speaks ASGI
	 */
	public WsgiApplication application() {
		return (this.current.get() instanceof WsgiApplication wsgi) ? wsgi : null;
	}

	/**
	 * The contexts that serve requests now, if the app speaks ASGI.
	 * @return the current application, or {@code null} when the app is closed or speaks WSGI
	 */
	public AsgiApplication asgiApplication() {
		return (this.current.get() instanceof AsgiApplication asgi) ? asgi : null;
	}

	/**
	 * Its position in {@code wsgi.apps}.
	 * @return the index
	 */
	public int index() {
		return this.index;
	}

	/**
	 * Its name.
	 * @return the name
	 */
	public String name() {
		return this.settings.getName();
	}

	/**
	 * Its configuration.
	 * @return the configuration
	 */
	public App settings() {
		return this.settings;
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
		return WsgiEnvironBuilder.normalizeMountPath(this.settings.getPath());
	}

	boolean isRunning() {
		return this.current.get() != null;
	}

	void close(Duration grace) {
		AppServer application = this.current.getAndSet(null);
		if (application != null) {
			application.close(grace);
		}
	}

}
