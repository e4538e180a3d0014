package io.springwsgi.core.asgi;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.springwsgi.core.app.AppLoadException;
import io.springwsgi.core.app.PythonApp;
import io.springwsgi.core.pool.SharedContextPool;
import io.springwsgi.core.python.PythonContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ASGI lifespan protocol ({@code lifespan.startup}, {@code lifespan.shutdown}) run in each
 * context of an app when the pool creates and closes it. Apps that do not support lifespan,
 * as Django's ASGI handler does not, are tolerated.
 */
final class AsgiLifespan implements SharedContextPool.Lifespan {

	private static final Logger logger = LoggerFactory.getLogger(AsgiLifespan.class);

	private static final Duration LIFESPAN_TIMEOUT = Duration.ofMinutes(2);

	private final PythonApp app;

	AsgiLifespan(PythonApp app) {
		this.app = app;
	}

	@Override
	public void startup(PythonContext context, int index) {
		LifespanSignal signal = new LifespanSignal();
		context.entryPoint().invokeMember("startup", signal);
		LifespanSignal.Result result = await(signal);
		switch (result.outcome()) {
			case COMPLETE -> logger.debug("Python app '{}': context {} completed lifespan startup", this.app.name(),
					index);
			case UNSUPPORTED -> logger.debug("Python app '{}' does not support the lifespan protocol:\n{}",
					this.app.name(), result.message());
			case FAILED -> throw new AppLoadException(this.app,
					"its ASGI lifespan startup failed: " + result.message());
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
