package io.springwsgi.core.wsgi;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.springwsgi.core.app.AppServer;
import io.springwsgi.core.app.PythonApp;
import io.springwsgi.core.app.WarmUp;
import io.springwsgi.core.http.BlockingResponseSink;
import io.springwsgi.core.http.PlainTextResponse;
import io.springwsgi.core.http.RequestHead;
import io.springwsgi.core.http.WarmUpExchange;
import io.springwsgi.core.pool.ExclusiveContextPool;
import io.springwsgi.core.pool.PoolConfig;
import io.springwsgi.core.pool.PoolExhaustedException;
import io.springwsgi.core.pool.RequestTimeoutException;
import io.springwsgi.core.python.HostServices;
import io.springwsgi.core.python.PythonContext;
import io.springwsgi.core.python.PythonContextFactory;
import io.springwsgi.core.python.PythonEngine;
import org.graalvm.polyglot.Value;
import org.slf4j.Logger;

/**
 * A WSGI app served from a pool of contexts: turns a request into an environ, runs the app on
 * a free context, streams its response into a {@link BlockingResponseSink}, and answers the error
 * cases of the bridge itself (413, 500, 503, 504) when the app cannot.
 */
public final class WsgiApplication implements AppServer {

	static final String BRIDGE_MODULE = "_springwsgi.wsgi";

	private final PythonApp app;

	private final WsgiOptions options;

	private final WsgiEnvironBuilder environBuilder;

	private final ExclusiveContextPool pool;

	private final Logger logger;

	/**
	 * Create an app that reaches nothing of its host; its contexts are created by
	 * {@link #start()}.
	 * @param engine the shared engine
	 * @param app what to load
	 * @param pool the pool's shape
	 * @param options the bridge's options
	 */
	public WsgiApplication(PythonEngine engine, PythonApp app, PoolConfig pool, WsgiOptions options) {
		this(engine, app, HostServices.NONE, pool, options);
	}

	/**
	 * Create the app; its contexts are created by {@link #start()}.
	 * @param engine the shared engine
	 * @param app what to load
	 * @param hostServices what the app reaches of its host through {@code import spring}
	 * @param pool the pool's shape
	 * @param options the bridge's options
	 */
	public WsgiApplication(PythonEngine engine, PythonApp app, HostServices hostServices, PoolConfig pool,
			WsgiOptions options) {
		this.app = app;
		this.options = options;
		this.environBuilder = new WsgiEnvironBuilder(options.mountPath());
		this.pool = new ExclusiveContextPool(new PythonContextFactory(engine, app, hostServices, BRIDGE_MODULE), pool);
		this.logger = PythonContextFactory.appLogger(app.name());
	}

	/**
	 * Replay warm-up requests through {@link #handle} against each context of the pool.
	 * @param warmUp the requests
	 * @return completes with the number of requests replayed
	 */
	@Override
	public CompletableFuture<Integer> warmUp(WarmUp warmUp) {
		return warmUp.run(this.app.name(), this.pool.size(), (context, method, target) -> {
			WarmUpExchange exchange = new WarmUpExchange(this.options.mountPath(), method, target);
			handle(exchange.request(), InputStream.nullInputStream(), exchange, context);
			return exchange.status();
		});
	}

	/**
	 * Serve a request. The returned future completes once the response is complete or
	 * aborted; it never completes exceptionally, every failure having been answered through
	 * the sink. Cancelling it (the client left) withdraws a request still waiting for a
	 * context; one that runs goes on.
	 * @param request the request head
	 * @param body the request body
	 * @param sink where the response goes
	 * @return completion of the exchange
	 */
	public CompletableFuture<Void> handle(RequestHead request, InputStream body, BlockingResponseSink sink) {
		return handle(request, body, sink, -1);
	}

	private CompletableFuture<Void> handle(RequestHead request, InputStream body, BlockingResponseSink sink, int context) {
		long declaredLength = request.contentLength();
		if (this.options.maxBodySize() >= 0 && declaredLength > this.options.maxBodySize()) {
			PlainTextResponse.send(sink, 413, "Payload Too Large", "The request body of " + declaredLength
					+ " bytes exceeds the limit of " + this.options.maxBodySize() + " bytes.", List.of());
			return CompletableFuture.completedFuture(null);
		}
		String cgi = this.environBuilder.buildFields(request);
		WsgiResponseChannel channel = new WsgiResponseChannel(sink, "HEAD".equals(request.method()));
		// A body past the limit is answered 413 whatever the app makes of the input error (Flask
		// and Django catch it and answer 500): the response is taken away from the app first.
		WsgiInput input = new WsgiInput(body, this.options.maxBodySize(), channel::fence);
		ExclusiveContextPool.ContextTask<Outcome> task = (python) -> run(python, cgi, input, channel);
		CompletableFuture<Outcome> submitted = (context < 0) ? this.pool.submit(task, this.options.requestTimeout())
				: this.pool.submitTo(context, task, this.options.requestTimeout());
		CompletableFuture<Void> done = submitted.handle((outcome, failure) -> {
			if (failure != null) {
				answerFailure(unwrap(failure), channel, sink);
			}
			else if (input.isTooLarge() && channel.fence()) {
				PlainTextResponse.send(sink, 413, "Payload Too Large", input.failure(), List.of());
			}
			else if (outcome != null) {
				answerPythonOutcome(outcome, channel, sink);
			}
			return null;
		});
		done.whenComplete((result, failure) -> {
			if (failure instanceof CancellationException) {
				submitted.cancel(false);
			}
		});
		return done;
	}

	private Outcome run(PythonContext context, String cgi, WsgiInput input, WsgiResponseChannel channel) {
		Value result = context.entryPoint().execute(cgi, input, new WsgiErrors(this.logger), channel);
		if (result.isNull()) {
			return null;
		}
		return new Outcome(result.getArrayElement(0).asString(), result.getArrayElement(1).asString(),
				result.getArrayElement(2).isNull() ? null : result.getArrayElement(2).asString());
	}

	private void answerPythonOutcome(Outcome outcome, WsgiResponseChannel channel, BlockingResponseSink sink) {
		switch (outcome.kind()) {
			case "disconnected" -> {
				this.logger.debug("Client went away; the app's iterable was closed");
				sink.abort(channel.writeFailure());
			}
			case "protocol" -> {
				this.logger.error("App '{}' broke a rule of PEP 3333: {}\n{}", this.app.name(), outcome.message(),
						outcome.traceback());
				failResponse(channel, sink, outcome, "the app broke a rule of PEP 3333: " + outcome.message());
			}
			default -> {
				this.logger.error("App '{}' raised {}\n{}", this.app.name(), outcome.message(), outcome.traceback());
				failResponse(channel, sink, outcome, outcome.message());
			}
		}
	}

	private void failResponse(WsgiResponseChannel channel, BlockingResponseSink sink, Outcome outcome, String summary) {
		if (channel.isStarted()) {
			sink.abort(new IllegalStateException("app '" + this.app.name() + "' failed after sending headers: "
					+ summary));
			return;
		}
		String detail = this.options.debug() ? summary + "\n\n" + outcome.traceback()
				: "The server could not complete the request.";
		PlainTextResponse.send(sink, 500, "Internal Server Error", detail, List.of());
	}

	private void answerFailure(Throwable failure, WsgiResponseChannel channel, BlockingResponseSink sink) {
		if (failure instanceof PoolExhaustedException exhausted) {
			this.logger.warn("503 for a request to app '{}': {}", this.app.name(), exhausted.getMessage());
			long seconds = Math.max(1, exhausted.getRetryAfter().toSeconds());
			PlainTextResponse.send(sink, 503, "Service Unavailable", "All Python contexts of app '" + this.app.name()
					+ "' are busy; retry later.", List.of(Map.entry("Retry-After", Long.toString(seconds))));
			return;
		}
		if (failure instanceof RequestTimeoutException timeout) {
			this.logger.error("504 for a request to app '{}': {}", this.app.name(), timeout.getMessage());
			if (channel.fence()) {
				PlainTextResponse.send(sink, 504, "Gateway Timeout",
						"App '" + this.app.name() + "' did not answer within " + this.options.requestTimeout() + ".",
						List.of());
			}
			else {
				sink.abort(timeout);
			}
			return;
		}
		this.logger.error("App '{}' failed outside Python's reach", this.app.name(), failure);
		if (channel.isStarted()) {
			sink.abort(failure);
		}
		else {
			String detail = this.options.debug() ? String.valueOf(failure)
					: "The server could not complete the request.";
			PlainTextResponse.send(sink, 500, "Internal Server Error", detail, List.of());
		}
	}

	private static Throwable unwrap(Throwable failure) {
		Throwable current = failure;
		while (current instanceof CompletionException && current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

	/**
	 * The app's name.
	 * @return the name
	 */
	@Override
	public String name() {
		return this.app.name();
	}

	/**
	 * How the app is served.
	 * @return the options
	 */
	public WsgiOptions options() {
		return this.options;
	}

	/**
	 * The app's context pool.
	 * @return the pool
	 */
	@Override
	public ExclusiveContextPool pool() {
		return this.pool;
	}

	private record Outcome(String kind, String message, String traceback) {
	}

}
