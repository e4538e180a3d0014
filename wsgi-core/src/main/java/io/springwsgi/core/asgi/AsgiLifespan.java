package io.springwsgi.core.asgi;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.springwsgi.core.app.AppLoadException;
import io.springwsgi.core.app.PythonApp;
import io.springwsgi.core.pool.SharedContextPool;
import io.springwsgi.core.python.PythonContext;
import org.graalvm.polyglot.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ASGI lifespan protocol ({@code lifespan.startup}, {@code lifespan.shutdown}) run in each
 * context of an app when the pool creates and closes it. Apps that do not support lifespan,
 * as Django's ASGI handler does not, are tolerated. Before the first context's startup, it
 * reports which Starlette the app loaded, since that decides the scope's path convention.
 */
final class AsgiLifespan implements SharedContextPool.Lifespan {

	private static final Logger logger = LoggerFactory.getLogger(AsgiLifespan.class);

	private static final Duration LIFESPAN_TIMEOUT = Duration.ofMinutes(2);

	private final PythonApp app;

	private final Consumer<String> starletteLoaded;

	/**
	 * Create the lifespan of an app.
	 * @param app the app
	 * @param starletteLoaded called with the version of Starlette the app loaded ({@code null}
	 * if none) once the first context has imported it, before that context takes requests
	 */
	AsgiLifespan(PythonApp app, Consumer<String> starletteLoaded) {
		this.app = app;
		this.starletteLoaded = starletteLoaded;
	}

	@Override
	public void startup(PythonContext context, int index) {
		if (index == 0) {
			Value starlette = context.entryPoint().invokeMember("starlette_version");
			this.starletteLoaded.accept(starlette.isNull() ? null : starlette.asString());
		}
		LifespanSignal signal = new LifespanSignal();
		context.entryPoint().invokeMember("startup", signal);
		LifespanSignal.Result result = await(signal);
		switch (result.outcome()) {
			case COMPLETE -> logger.debug("Python app '{}': context {} completed lifespan startup", this.app.name(),
					index);
			case UNSUPPORTED -> logger.debug("Python app '{}' does not support the lifespan protocol:\n{}",
					this.app.name(), result.message());
			case FAILED -> throw new AppLoadException(this.app,
					"its ASGI lifespan startup failed: " + result.message(), AppLoadException.Kind.LIFESPAN, null, null);
		}
	}

	@Override
	public void shutdown(PythonContext context, int index) {
		LifespanSignal signal = new LifespanSignal();
		context.entryPoint().invokeMember("shutdown", signal);
		LifespanSignal.Result result = await(signal);
		if (result.outcome() == LifespanSignal.Outcome.FAILED) {
			logger.error("Python app '{}': lifespan shutdown failed in context {}: {}", this.app.name(), index,
					result.message());
		}
		context.entryPoint().invokeMember("stop");
	}

	@Override
	public Duration timeout() {
		return LIFESPAN_TIMEOUT;
	}

	private LifespanSignal.Result await(LifespanSignal signal) {
		try {
			return signal.result.get(LIFESPAN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new LifespanSignal.Result(LifespanSignal.Outcome.FAILED, "interrupted");
		}
		catch (ExecutionException | TimeoutException ex) {
			return new LifespanSignal.Result(LifespanSignal.Outcome.FAILED, "no answer within " + LIFESPAN_TIMEOUT);
		}
	}

}
