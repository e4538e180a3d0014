package io.springwsgi.core.asgi;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import io.springwsgi.core.app.AppServer;
import io.springwsgi.core.app.PythonApp;
import io.springwsgi.core.app.WarmUp;
import io.springwsgi.core.http.PlainTextResponse;
import io.springwsgi.core.http.RequestHead;
import io.springwsgi.core.http.WarmUpExchange;
import io.springwsgi.core.http.WindowedResponseSink;
import io.springwsgi.core.pool.EventLoopContext;
import io.springwsgi.core.pool.SharedContextPool;
import io.springwsgi.core.python.HostServices;
import io.springwsgi.core.python.PythonContextFactory;
import io.springwsgi.core.python.PythonEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ASGI 3 app served from a {@link SharedContextPool}: a few contexts, each running an
 * asyncio event loop with many requests in flight. A request goes to the context with the
 * fewest in flight, or is answered 503 when every context has {@link AsgiOptions#maxInFlight()}.
 */
public final class AsgiApplication implements AppServer {

	static final String BRIDGE_MODULE = "_springwsgi.asgi";

	private static final Logger logger = LoggerFactory.getLogger(AsgiApplication.class);

	private static final Flow.Publisher<byte[]> NO_BODY = (subscriber) -> {
		subscriber.onSubscribe(new Flow.Subscription() {

			@Override
			public void request(long n) {
			}

			@Override
			public void cancel() {
			}

		});
		subscriber.onComplete();
	};

	private final PythonApp app;

	private final AsgiOptions options;

	/** Set once the first context has imported the app, when the path convention is chosen. */
	private volatile AsgiScopeBuilder scopeBuilder;

	private final SharedContextPool pool;

	private final Logger appLogger;

	/** Request timeouts; not the common pool, whose few threads may be busy closing contexts. */
	private final ScheduledThreadPoolExecutor timer;

	private final BlockedLoopCheck blockedLoops;

	/**
	 * Create the app; its contexts are created by {@link #start()}.
	 * @param engine the shared engine
	 * @param app what to load
	 * @param hostServices what the app reaches of its host through {@code import spring}
	 * @param contexts how many contexts, each with its own event loop
	 * @param options the bridge's options
	 */
	public AsgiApplication(PythonEngine engine, PythonApp app, HostServices hostServices, int contexts,
			AsgiOptions options) {
		this.app = app;
		this.options = options;
		this.pool = new SharedContextPool(new PythonContextFactory(engine, app, hostServices, BRIDGE_MODULE), contexts,
				options.maxInFlight(), options.maxRequests(), new AsgiLifespan(app, this::choosePathConvention));
		this.appLogger = PythonContextFactory.appLogger(app.name());
		this.timer = new ScheduledThreadPoolExecutor(1,
				Thread.ofPlatform().name("asgi-" + app.name() + "-timer").daemon().factory());
		this.timer.setRemoveOnCancelPolicy(true);
		this.blockedLoops = new BlockedLoopCheck(app.name(), this.pool, this.timer, options.requestTimeout());
	}

	private void choosePathConvention(String starletteVersion) {
		RootPathInPath configured = this.options.rootPathInPath();
		RootPathInPath chosen = (configured != RootPathInPath.DETECT) ? configured
				: RootPathInPath.ofStarlette(starletteVersion);
		String path = (chosen == RootPathInPath.INCLUDED) ? "includes root_path (the mount path)"
				: "is without root_path (the mount path)";
		String why;
		if (configured != RootPathInPath.DETECT) {
			why = "as configured (root-path-in-path: " + (configured == RootPathInPath.INCLUDED) + ")";
		}
		else if (starletteVersion == null) {
			why = "as the ASGI spec says: the app did not load Starlette; set root-path-in-path to choose";
		}
		else {
			why = "because the app loaded Starlette " + starletteVersion + ", which "
					+ ((chosen == RootPathInPath.EXCLUDED) ? "routes that way before 0.33" : "follows the ASGI spec")
					+ "; set root-path-in-path to choose";
		}
		logger.info("Python ASGI app '{}': the scope's path {}, {}", this.app.name(), path, why);
		this.scopeBuilder = new AsgiScopeBuilder(this.options.mountPath(), chosen == RootPathInPath.INCLUDED);
	}

	/**
	 * Replay warm-up requests through {@link #handle} against each context.
	 * @param warmUp the requests
	 * @return completes with the number of requests replayed
	 */
	@Override
	public CompletableFuture<Integer> warmUp(WarmUp warmUp) {
		return warmUp.run(this.app.name(), this.pool.size(), (index, method, target) -> {
			EventLoopContext context = this.pool.acquire(index);
			if (context == null) {
				return CompletableFuture.completedFuture(503);
			}
			WarmUpExchange exchange = new WarmUpExchange(this.options.mountPath(), method, target);
			handle(exchange.request(), NO_BODY, exchange, context);
			return exchange.status();
		});
	}

	/**
	 * Serve an HTTP request. Nothing here blocks: the request is handed to a context's event
	 * loop, and the response reaches the sink from there, so the sink must not block either.
	 * @param request the request head
	 * @param body the request body; subscribed to at once, read as the app receives it
	 * @param sink where the response goes
	 * @return the exchange: {@link AsgiHttpExchange#disconnect()} when the client goes,
	 * {@link AsgiHttpExchange#done()} completes when the app is done
	 */
	public AsgiHttpExchange handle(RequestHead request, Flow.Publisher<byte[]> body, WindowedResponseSink sink) {
		return handle(request, body, sink, this.pool.acquire());
	}

	private AsgiHttpExchange handle(RequestHead request, Flow.Publisher<byte[]> body, WindowedResponseSink sink,
			EventLoopContext context) {
		AsgiHttpExchange exchange = new AsgiHttpExchange(this.app.name(), sink, "HEAD".equals(request.method()),
				this.options, (context != null) ? context.feeder() : Runnable::run, this.appLogger);
		long declaredLength = request.contentLength();
		if (this.options.maxBodySize() >= 0 && declaredLength > this.options.maxBodySize()) {
			if (context != null) {
				context.release();
			}
			PlainTextResponse.send(sink, 413, "", "The request body of " + declaredLength + " bytes exceeds the limit of "
					+ this.options.maxBodySize() + " bytes.", List.of());
			exchange.finished();
			return exchange;
		}
		if (context == null) {
			// None ready: the only context is being replaced, or the app is closing.
			this.appLogger.warn("503 for a request to app '{}': {}", this.app.name(),
					(this.pool.statistics().ready() == 0) ? "no context is ready"
							: "every context has " + this.options.maxInFlight() + " requests in flight");
			PlainTextResponse.send(sink, 503, "", "App '" + this.app.name() + "' has too many requests in flight; retry later.",
					List.of(Map.entry("Retry-After", "1")));
			exchange.finished();
			return exchange;
		}
		countIn(context, exchange.done(), exchange::abandon);
		// The hand-off goes to the feeder first, so the body's chunks follow it there.
		String[] scope = this.scopeBuilder.http(request).toArray();
		context.feeder().execute(() -> {
			try {
				exchange.attach(context.python().entryPoint().invokeMember("http", scope, exchange));
			}
			catch (RuntimeException ex) {
				exchange.fail("app", "the request could not be handed to the app: " + ex, "");
			}
		});
		body.subscribe(exchange);
		if (this.options.requestTimeout().isPositive()) {
			exchange.answerWithin(this.options.requestTimeout(), this.timer,
					() -> this.blockedLoops.afterCancel(context, exchange));
		}
		return exchange;
	}

	/**
	 * Release the context once the exchange is done, and have the exchange answered in the
	 * app's place should the context be given up before.
	 */
	private static void countIn(EventLoopContext context, CompletableFuture<Void> done, Runnable abandon) {
		done.whenComplete((result, failure) -> {
			context.forget(abandon);
			context.release();
		});
		context.onAbandon(abandon);
	}

	/**
	 * Serve a WebSocket connection: the app's {@code websocket.accept} or
	 * {@code websocket.close} reaches the peer, which completes or refuses the handshake.
	 * @param request the handshake request's head
	 * @param peer the server's side of the connection
	 * @return the exchange, to which the frames from the client are to be subscribed once the
	 * handshake is done; {@code null} when every context has its limit of connections in
	 * flight (answer 503)
	 */
	public AsgiWebSocketExchange websocket(RequestHead request, WebSocketPeer peer) {
		EventLoopContext context = this.pool.acquire();
		if (context == null) {
			return null;
		}
		AsgiWebSocketExchange exchange = new AsgiWebSocketExchange(this.app.name(), peer, context.feeder(),
				this.appLogger);
		countIn(context, exchange.done(), exchange::abandon);
		String[] scope = this.scopeBuilder.websocket(request).toArray();
		context.feeder().execute(() -> {
			try {
				exchange.attach(context.python().entryPoint().invokeMember("websocket", scope, exchange));
			}
			catch (RuntimeException ex) {
				exchange.fail("app", "the connection could not be handed to the app: " + ex, "");
			}
		});
		return exchange;
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
	 * The app's contexts.
	 * @return the pool
	 */
	@Override
	public SharedContextPool pool() {
		return this.pool;
	}

	/**
	 * Refuse new requests, let those in flight finish within {@code grace}, run the app's
	 * lifespan shutdown and close the contexts.
	 * @param grace how long requests in flight may take
	 */
	@Override
	public void close(Duration grace) {
		this.pool.close(grace);
		this.timer.shutdownNow();
	}

}
