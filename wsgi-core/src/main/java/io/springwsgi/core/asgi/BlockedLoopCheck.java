package io.springwsgi.core.asgi;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.springwsgi.core.pool.EventLoopContext;
import io.springwsgi.core.pool.SharedContextPool;
import io.springwsgi.core.python.PythonContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What follows a request timeout, whose cancel of the app's task only reaches a running event
 * loop. If the task has not ended a grace period later, the loop is asked to run a callback:
 * a loop that does not within another grace period is blocked (a coroutine that never awaits,
 * {@code time.sleep}, a hung call) and its context is replaced; a loop that does runs an app
 * that ignores the cancel, and the request is let go so that it no longer counts as in flight.
 */
final class BlockedLoopCheck {

	private static final Logger logger = LoggerFactory.getLogger(BlockedLoopCheck.class);

	/** The longest grace period, however long the request timeout. */
	private static final Duration MAX_GRACE = Duration.ofSeconds(5);

	private final String appName;

	private final SharedContextPool pool;

	private final ScheduledExecutorService timer;

	private final Duration grace;

	BlockedLoopCheck(String appName, SharedContextPool pool, ScheduledExecutorService timer, Duration requestTimeout) {
		this.appName = appName;
		this.pool = pool;
		this.timer = timer;
		this.grace = (requestTimeout.compareTo(MAX_GRACE) < 0) ? requestTimeout : MAX_GRACE;
	}

	/**
	 * Check on a request whose task was cancelled at its timeout.
	 * @param context the context it runs in
	 * @param exchange the request
	 */
	void afterCancel(EventLoopContext context, AsgiHttpExchange exchange) {
		this.timer.schedule(() -> {
			if (!exchange.done().isDone()) {
				ping(context).thenAccept((running) -> conclude(context, exchange, running));
			}
		}, this.grace.toMillis(), TimeUnit.MILLISECONDS);
	}

	private CompletableFuture<Boolean> ping(EventLoopContext context) {
		CompletableFuture<Boolean> answer = new CompletableFuture<>();
		// A feeder that cannot enter the context (the loop thread holds it in a Java call) never
		// asks: the answer is false then too, which is right.
		context.feeder().execute(() -> {
			PythonContext python = context.python();
			try {
				if (python != null) {
					python.entryPoint().invokeMember("ping", answer);
				}
			}
			catch (RuntimeException ex) {
				logger.debug("Python app '{}': the event loop could not be asked whether it runs", this.appName, ex);
			}
		});
		return answer.completeOnTimeout(false, this.grace.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void conclude(EventLoopContext context, AsgiHttpExchange exchange, boolean running) {
		if (exchange.done().isDone()) {
			return;
		}
		if (!running) {
			this.pool.replace(context, "its event loop did not run for " + this.grace + " after a request's task was "
					+ "cancelled at its timeout");
			return;
		}
		logger.warn("App '{}' went on with a request after its task was cancelled at its timeout; the request no "
				+ "longer counts as in flight", this.appName);
		exchange.finished();
	}

}
