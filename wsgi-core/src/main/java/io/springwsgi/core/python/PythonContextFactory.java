package io.springwsgi.core.python;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;

import io.springwsgi.core.app.AppDirectories;
import io.springwsgi.core.app.AppLoadException;
import io.springwsgi.core.app.PythonApp;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the contexts of one app on the shared engine: {@code sys.path} set up, the app's
 * callable imported, and the protocol bridge's entry point bound to it.
 */
public final class PythonContextFactory {

	private static final String RUNTIME_LOCATION = AppDirectories.CLASSPATH_PREFIX + "io/springwsgi/core/python/runtime";

	private static final Logger logger = LoggerFactory.getLogger(PythonContextFactory.class);

	private final PythonEngine engine;

	private final PythonApp app;

	private final String bridgeModule;

	private final Logger appLogger;

	private final HostServices hostServices;

	private final Set<String> corrections = new ConcurrentSkipListSet<>();

	/**
	 * Create a factory.
	 * @param engine the shared engine
	 * @param app the app to load
	 * @param hostServices what the app reaches of its host through {@code import spring}
	 * @param bridgeModule the protocol bridge module, whose {@code handler(app)} returns the
	 * per-request function
	 */
	public PythonContextFactory(PythonEngine engine, PythonApp app, HostServices hostServices, String bridgeModule) {
		this.engine = engine;
		this.app = app;
		this.hostServices = hostServices;
		this.bridgeModule = bridgeModule;
		this.appLogger = appLogger(app.name());
	}

	/**
	 * The logger an app's output, {@code wsgi.errors} and tracebacks go to.
	 * @param appName the app's name
	 * @return {@code io.springwsgi.app.<name>}
	 */
	public static Logger appLogger(String appName) {
		return LoggerFactory.getLogger("io.springwsgi.app." + appName);
	}

	/**
	 * The app this factory loads.
	 * @return the app
	 */
	public PythonApp app() {
		return this.app;
	}

	/**
	 * The corrections of known GraalPy incompatibilities that the app's contexts applied at
	 * import, one line each: package, version, what was corrected and why.
	 * @return the corrections, sorted
	 */
	public List<String> corrections() {
		return List.copyOf(this.corrections);
	}

	/**
	 * Create a context and load the app into it.
	 * @param generation which context of its pool slot this is
	 * @return the context
	 * @throws AppLoadException if the app cannot be imported
	 */
	public PythonContext create(int generation) {
		long start = System.nanoTime();
		Context.Builder builder = Context.newBuilder("python");
		if (this.engine.bytecodeCache() != null) {
			// Embedded GraalPy writes no .pyc by default, so every context of every run parsed
			// every module, the standard library's too, from source.
			builder.option("python.DontWriteBytecodeFlag", "false")
				.option("python.PyCachePrefix", this.engine.bytecodeCache().toString());
		}
		this.engine.nativeModules().configure(builder, this.app.name());
		builder.engine(this.engine.engine())
			.allowHostAccess(this.engine.hostAccess())
			.allowHostClassLookup((className) -> this.engine.hostClassLookup() || this.app.access().hostClassLookup())
			.allowIO(IOAccess.ALL)
			.allowCreateThread(true)
			.allowEnvironmentAccess(this.app.access().inheritEnvironment() ? EnvironmentAccess.INHERIT
					: EnvironmentAccess.NONE)
			.environment(this.app.environment())
			.out(new PythonOutputStream(this.appLogger, false))
			.err(new PythonOutputStream(this.appLogger, true));
		this.engine.customize(builder);
		Context context = builder.build();
		this.engine.opened(context);
		try {
			Value entryPoint = load(context);
			logger.debug("Python app '{}': context created in {} ms", this.app.name(),
					(System.nanoTime() - start) / 1_000_000);
			return new PythonContext(context, entryPoint, generation);
		}
		catch (PolyglotException ex) {
			AppLoadException failure = loadFailure(ex);
			context.close(true);
			throw failure;
		}
		catch (RuntimeException ex) {
			context.close(true);
			throw ex;
		}
	}

	private Value load(Context context) {
		Value importModule = context.eval("python", "__import__('importlib').import_module");
		List<String> path = new ArrayList<>();
		path.add(this.app.directory().toString());
		for (Path entry : this.app.pythonPath()) {
			path.add(entry.toString());
		}
		path.add(RuntimeDirectory.PATH.toString());
		importModule.execute("sys").getMember("path").invokeMember("insert", 0, RuntimeDirectory.PATH.toString());
		// Before anything of the app imports: corrections watch for the modules they apply to.
		importModule.execute("_springwsgi.corrections").invokeMember("install");
		importModule.execute("_springwsgi").putMember("host", this.hostServices);
		PythonLogSink logSink = new PythonLogSink(this.appLogger);
		importModule.execute("_springwsgi.logs").invokeMember("install", logSink, logSink.pythonLevel());
		Value loader = importModule.execute("_springwsgi.loader");
		loader.invokeMember("prepend_path", (Object) path.toArray(String[]::new));
		Value callable = loader.invokeMember("load_callable", this.app.module(), this.app.callable());
		noteCorrections(importModule.execute("_springwsgi.corrections").invokeMember("applied"));
		return importModule.execute(this.bridgeModule).invokeMember("handler", callable);
	}

	private void noteCorrections(Value applied) {
		for (long i = 0; i < applied.getArraySize(); i++) {
			String correction = applied.getArrayElement(i).asString();
			if (this.corrections.add(correction)) {
				this.appLogger.info("GraalPy correction applied at import: {}", correction);
			}
		}
	}

	private AppLoadException loadFailure(PolyglotException ex) {
		String message = ex.getMessage();
		String prefix = "AppLoadError: ";
		String pythonError = (message != null && message.startsWith(prefix)) ? message.substring(prefix.length())
				: message;
		Value error = ex.isGuestException() ? ex.getGuestObject() : null;
		if (error == null || !error.hasMember("kind")) {
			return new AppLoadException(this.app, pythonError);
		}
		return new AppLoadException(this.app, pythonError, AppLoadException.Kind.of(error.getMember("kind").asString()),
				stringOrNull(error.getMember("module")), stringOrNull(error.getMember("detail")));
	}

	private static String stringOrNull(Value value) {
		return (value == null || value.isNull()) ? null : value.asString();
	}

	/** Our Python runtime's directory, resolved once per JVM. */
	private static final class RuntimeDirectory {

		static final Path PATH = AppDirectories.resolve(RUNTIME_LOCATION, PythonContextFactory.class.getClassLoader());

	}

}
