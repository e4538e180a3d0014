package io.springwsgi.core.wsgi;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.springwsgi.core.python.AppDirectories;
import io.springwsgi.core.python.PoolConfig;
import io.springwsgi.core.python.PythonApp;
import io.springwsgi.core.python.PythonEngine;

/**
 * The test apps under {@code src/test/resources/apps}, started once per JVM on one shared
 * engine: GraalPy start-up is the slow part of these tests, so test classes share them.
 */
final class TestApps {

	static final PythonEngine ENGINE = PythonEngine.create();

	static final Path DIRECTORY = AppDirectories.resolve("classpath:apps", TestApps.class.getClassLoader());

	/** Debian's Python packages (Flask); set by the build, see the root pom. */
	static final Path SITE_PACKAGES = Path
		.of(System.getProperty("springwsgi.python.site-packages", "/usr/lib/python3/dist-packages"));

	/** The body limit of {@link #misbehaving()}, in bytes. */
	static final long MISBEHAVING_BODY_LIMIT = 1024;

	private static final Map<String, WsgiApplication> started = new ConcurrentHashMap<>();

	private TestApps() {
	}

	static PythonApp app(String name, String module, String callable) {
		return PythonApp.of(name, DIRECTORY, module, callable);
	}

	/**
	 * A started app, shared by every test that asks for the same name.
	 */
	static WsgiApplication shared(String name, String module, PoolConfig pool, WsgiOptions options) {
		return shared(app(name, module, "application"), pool, options);
	}

	/**
	 * A started app, shared by every test that asks for an app of the same name.
	 */
	static WsgiApplication shared(PythonApp app, PoolConfig pool, WsgiOptions options) {
		return started.computeIfAbsent(app.name(), (key) -> {
			WsgiApplication application = new WsgiApplication(ENGINE, app.withPythonPath(List.of(SITE_PACKAGES)),
					pool, options);
			application.start();
			return application;
		});
	}

	static WsgiApplication conformance() {
		return shared("conformance", "conformance", PoolConfig.ofSize(1), WsgiOptions.mountedAt("/app"));
	}

	static WsgiApplication misbehaving() {
		return shared("misbehaving", "misbehaving", PoolConfig.ofSize(1),
				WsgiOptions.mountedAt("").withMaxBodySize(MISBEHAVING_BODY_LIMIT));
	}

	static WsgiApplication misbehavingInDebug() {
		return shared("misbehaving-debug", "misbehaving", PoolConfig.ofSize(1),
				WsgiOptions.mountedAt("").withDebug(true));
	}

	static RecordingSink exchange(WsgiApplication app, WsgiRequest request) {
		return exchange(app, request, new ByteArrayInputStream(new byte[0]), new RecordingSink());
	}

	static RecordingSink exchange(WsgiApplication app, WsgiRequest request, InputStream body, RecordingSink sink) {
		try {
			app.handle(request, body, sink).get(2, TimeUnit.MINUTES);
			sink.done.get(10, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new AssertionError("the exchange did not complete: " + sink.events, ex);
		}
		return sink;
	}

	static Duration seconds(double seconds) {
		return Duration.ofMillis((long) (seconds * 1000));
	}

}
