package io.springwsgi.core.asgi;

import java.util.concurrent.CompletableFuture;

/**
 * How one phase of the ASGI lifespan protocol ended, reported by the Python side
 * ({@code _springwsgi.asgi.Lifespan}).
 */
public final class LifespanSignal {

	/** How a phase ended. */
	enum Outcome {

		/** {@code lifespan.startup.complete} or {@code lifespan.shutdown.complete}. */
		COMPLETE,

		/** {@code lifespan.startup.failed} or {@code lifespan.shutdown.failed}. */
		FAILED,

		/** The app raised on the lifespan scope: it does not support lifespan. */
		UNSUPPORTED

	}

	record Result(Outcome outcome, String message) {
	}

	final CompletableFuture<Result> result = new CompletableFuture<>();

	public void complete() {
		this.result.complete(new Result(Outcome.COMPLETE, ""));
	}

	public void fail(String message) {
		this.result.complete(new Result(Outcome.FAILED, message));
	}

	public void unsupported(String traceback) {
		this.result.complete(new Result(Outcome.UNSUPPORTED, traceback));
	}

}
