package io.springwsgi.core.python;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

/**
 * One GraalPy context with an app loaded into it, and the Python function the protocol
 * bridge calls per request. Used by one thread at a time, the one its pool slot owns; no
 * {@link Value} of it is kept past the request that obtained it.
 */
public final class PythonContext implements AutoCloseable {

	private final Context context;

	private final Value entryPoint;

	private final int generation;

	private int requests;

	private volatile boolean broken;

	PythonContext(Context context, Value entryPoint, int generation) {
		this.context = context;
		this.entryPoint = entryPoint;
		this.generation = generation;
	}

	/**
	 * The protocol bridge's per-request function, bound to the app.
	 * @return the function
	 */
	public Value entryPoint() {
		return this.entryPoint;
	}

	/**
	 * Which context of its pool slot this is: 1 for the first, 2 for its first replacement.
	 * @return the generation
	 */
	public int generation() {
		return this.generation;
	}

	/**
	 * How many requests this context has served.
	 * @return the count
	 */
	public int requests() {
		return this.requests;
	}

	/**
	 * Count one more request served by this context.
	 */
	public void countRequest() {
		this.requests++;
	}

	/**
	 * Mark the context unusable, so its pool closes and replaces it instead of reusing it.
	 */
	public void markBroken() {
		this.broken = true;
	}

	/**
	 * Whether the context must be replaced.
	 * @return {@code true} if it was cancelled, hit an internal error or was marked broken
	 */
	public boolean isBroken() {
		return this.broken;
	}

	/**
	 * Note a failure that came out of this context: one that Python code could not catch
	 * (a cancel, an exit, an internal error) leaves the context unfit for more requests.
	 * @param failure what was thrown
	 */
	public void noteFailure(PolyglotException failure) {
		if (failure.isCancelled() || failure.isExit() || failure.isInternalError() || failure.isInterrupted()
				|| failure.isResourceExhausted()) {
			this.broken = true;
		}
	}

	/**
	 * Stop whatever runs in this context now, from any thread; the running call fails with a
	 * cancelled {@link PolyglotException} and the context is closed.
	 */
	public void cancel() {
		this.broken = true;
		this.context.close(true);
	}

	/**
	 * {@link #cancel()} on a thread that nobody waits for: a thread stuck in
	 * {@code time.sleep} or in Java holds a cancel up until it returns, if ever.
	 * @param threadName the name of the thread that cancels, for a thread dump
	 */
	public void cancelInBackground(String threadName) {
		Thread.ofPlatform().name(threadName).daemon().start(this::cancel);
	}

	@Override
	public void close() {
		try {
			this.context.close(true);
		}
		catch (IllegalStateException | PolyglotException ex) {
			// Already closed by a cancel: nothing left to release.
		}
	}

}
