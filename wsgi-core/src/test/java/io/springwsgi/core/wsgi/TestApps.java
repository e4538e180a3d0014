package io.springwsgi.core.wsgi;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.springwsgi.core.app.AppDirectories;
import io.springwsgi.core.app.PythonApp;
import io.springwsgi.core.http.RecordingSink;
import io.springwsgi.core.http.RequestHead;
import io.springwsgi.core.pool.PoolConfig;
import io.springwsgi.core.python.PythonEngine;

/**
 * The test apps under {@code src/test/resources/apps}, started once per JVM on one shared
 * engine: GraalPy start-up is the slow part of these tests, so test classes share them.
 */
public final class TestApps {

	public static final PythonEngine ENGINE = PythonEngine.create();

	public static final Path DIRECTORY = AppDirectories.resolve("classpath:apps", TestApps.class.getClassLoader());

	/** Debian's Python packages (Flask); set by the build, see the root pom. */
	public static final Path SITE_PACKAGES = Path
		.of(System.getProperty("springwsgi.python.site-packages", "/usr/lib/python3/dist-packages"));

	/** The body limit of {@link #misbehaving()}, in bytes. */
	public static final long MISBEHAVING_BODY_LIMIT = 1024;

	private static final Map<String, WsgiApplication> started = new ConcurrentHashMap<>();

	private TestApps() {
	}

	public static PythonApp app(String name, String module, String callable) {
		return PythonApp.of(name, DIRECTORY, module, callable);
	}

	/**
	 * A started app, shared by every test that asks for the same name.
	 */
	public static WsgiApplication shared(String name, String module, PoolConfig pool, WsgiOptions options) {
		return shared(app(name, module, "application"), pool, options);
	}

	/**
	 * A started app, shared by every test that asks for an app of the same name.
	 */
	public static WsgiApplication shared(PythonApp app, PoolConfig pool, WsgiOptions options) {
		return started.computeIfAbsent(app.name(), (key) -> {
			WsgiApplication application = new WsgiApplication(ENGINE, app.withPythonPath(List.of(SITE_PACKAGES)),
					pool, options);
			application.start();
			return application;
		});
	}

	public static WsgiApplication conformance() {
		return shared("conformance", "conformance", PoolConfig.ofSize(1), WsgiOptions.mountedAt("/app"));
	}

	public static WsgiApplication misbehaving() {
		return shared("misbehaving", "misbehaving", PoolConfig.ofSize(1),
				WsgiOptions.mountedAt("").withMaxBodySize(MISBEHAVING_BODY_LIMIT));
	}

	public static WsgiApplication misbehavingInDebug() {
		return shared("misbehaving-debug", "misbehaving", PoolConfig.ofSize(1),
				WsgiOptions.mountedAt("").withDebug(true));
	}

	public static RecordingSink exchange(WsgiApplication app, RequestHead request) {
		return exchange(app, request, new ByteArrayInputStream(new byte[0]), new RecordingSink());
	}

	public static RecordingSink exchange(WsgiApplication app, RequestHead request, InputStream body, RecordingSink sink) {
		try {
			app.handle(request, body, sink).get(2, TimeUnit.MINUTES);
			sink.done.get(10, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new AssertionError("the exchange did not complete: " + sink.events, ex);
		}
		return sink;
	}

	public static Duration seconds(double seconds) {
		return Duration.ofMillis((long) (seconds * 1000));
	}

}
