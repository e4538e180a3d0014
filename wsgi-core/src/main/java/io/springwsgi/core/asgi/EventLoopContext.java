package io.springwsgi.core.asgi;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.springwsgi.core.app.AppLoadException;
import io.springwsgi.core.python.PythonContext;
import io.springwsgi.core.python.PythonContextFactory;
import org.graalvm.polyglot.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One context of an ASGI app and the asyncio event loop it runs on a Python thread of its
 * own. Unlike a WSGI context it is shared: any number of requests, up to a limit, are in
 * flight in it at once. Java enters it only from its feeder thread, to hand requests, body
 * chunks and disconnects to the loop; that thread never waits for Python code to finish.
 */
final class EventLoopContext {

	private static final Logger logger = LoggerFactory.getLogger(EventLoopContext.class);

	private static final long THREAD_STACK_SIZE = 16 * 1024 * 1024;

	private static final Duration LIFESPAN_TIMEOUT = Duration.ofMinutes(2);

	private final String appName;

	private final int index;

	private final ExecutorService feeder;

	private final AtomicInteger inFlight = new AtomicInteger();

	private final Object idle = new Object();

	private volatile PythonContext context;

	private volatile boolean closing;

	EventLoopContext(String appName, int index) {
		this.appName = appName;
		this.index = index;
		this.feeder = Executors.newSingleThreadExecutor(Thread.ofPlatform()
			.name("python-" + appName + "-" + index)
			.stackSize(THREAD_STACK_SIZE)
			.daemon()
			.factory());
	}

	/**
	 * Create the context, start its event loop and run the app's lifespan startup.
	 * @param loaded called with the version of Starlette the app loaded ({@code null} if none)
	 * once the app is imported, before the context takes requests
	 * @throws AppLoadException if the app fails to import or its startup fails
	 */
	CompletableFuture<Void> start(PythonContextFactory factory, Consumer<String> loaded) {
		return CompletableFuture.runAsync(() -> {
			PythonContext created = factory.create(1);
			Value starlette = created.entryPoint().invokeMember("starlette_version");
			loaded.accept(starlette.isNull() ? null : starlette.asString());
			LifespanSignal signal = new LifespanSignal();
			created.entryPoint().invokeMember("startup", signal);
			LifespanSignal.Result result = await(signal);
			switch (result.outcome()) {
				case COMPLETE -> logger.debug("Python app '{}': context {} completed lifespan startup", this.appName,
						this.index);
				case UNSUPPORTED -> logger.debug("Python app '{}' does not support the lifespan protocol:\n{}",
						this.appName, result.message());
				case FAILED -> {
					created.close();
					throw new AppLoadException(factory.app(), "its ASGI lifespan startup failed: " + result.message(),
							AppLoadException.Kind.LIFESPAN, null, null);
				}
			}
			this.context = created;
		}, this.feeder);
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
			return new LifespanSignal.Result(LifespanSignal.Outcome.FAILED,
					"no answer within " + LIFESPAN_TIMEOUT);
		}
	}

	/**
	 * Count a request in, unless the context is closing or has {@code limit} in flight.
	 */
	boolean tryAcquire(int limit) {
		while (true) {
			int current = this.inFlight.get();
			if (this.closing || current >= limit) {
				return false;
			}
			if (this.inFlight.compareAndSet(current, current + 1)) {
				return true;
			}
		}
	}

	void release() {
		if (this.inFlight.decrementAndGet() == 0) {
			synchronized (this.idle) {
				this.idle.notifyAll();
			}
		}
	}

	java.util.concurrent.Executor feeder() {
		return this.feeder;
	}

	int inFlight() {
		return this.inFlight.get();
	}

	boolean isReady() {
		return this.context != null && !this.closing;
	}

	/**
	 * Hand an HTTP request to the event loop.
	 */
	void http(AsgiScope scope, AsgiHttpExchange exchange) {
		String[] fields = scope.toArray();
		this.feeder.execute(() -> {
			try {
				Value connection = this.context.entryPoint().invokeMember("http", fields, exchange);
				exchange.attach(connection);
			}
			catch (RuntimeException ex) {
				exchange.fail("app", "the request could not be handed to the app: " + ex, "");
			}
		});
	}

	/**
	 * Hand a WebSocket connection to the event loop.
	 */
	void websocket(AsgiScope scope, AsgiWebSocketExchange exchange) {
		String[] fields = scope.toArray();
		this.feeder.execute(() -> {
			try {
				exchange.attach(this.context.entryPoint().invokeMember("websocket", fields, exchange));
			}
			catch (RuntimeException ex) {
				exchange.fail("app", "the connection could not be handed to the app: " + ex, "");
			}
		});
	}

	/**
	 * Refuse new requests, let those in flight finish within {@code grace}, run the lifespan
	 * shutdown, then close the context.
	 */
	void close(Duration grace) {
		this.closing = true;
		long deadline = System.nanoTime() + grace.toNanos();
		synchronized (this.idle) {
			while (this.inFlight.get() > 0 && System.nanoTime() < deadline) {
				try {
					this.idle.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					break;
				}
			}
		}
		if (this.inFlight.get() > 0) {
			logger.warn("Python app '{}': {} request(s) still in flight in context {} after {}; closing it anyway",
					this.appName, this.inFlight.get(), this.index, grace);
		}
		PythonContext current = this.context;
		if (current != null && !this.feeder.isShutdown()) {
			this.feeder.execute(() -> shutDown(current));
		}
		this.feeder.shutdown();
		try {
			if (!this.feeder.awaitTermination(LIFESPAN_TIMEOUT.toMillis() + 5000, TimeUnit.MILLISECONDS)) {
				this.feeder.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (current != null) {
			current.close();
		}
		this.context = null;
	}

	private void shutDown(PythonContext current) {
		try {
			LifespanSignal signal = new LifespanSignal();
			current.entryPoint().invokeMember("shutdown", signal);
			LifespanSignal.Result result = await(signal);
			if (result.outcome() == LifespanSignal.Outcome.FAILED) {
				logger.error("Python app '{}': lifespan shutdown failed in context {}: {}", this.appName, this.index,
						result.message());
			}
			current.entryPoint().invokeMember("stop");
		}
		catch (RuntimeException ex) {
			logger.warn("Python app '{}': context {} did not shut down cleanly", this.appName, this.index, ex);
		}
	}

}
