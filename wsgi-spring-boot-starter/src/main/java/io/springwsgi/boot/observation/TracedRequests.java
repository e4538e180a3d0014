package io.springwsgi.boot.observation;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.observation.Observation;

/**
 * The observations of the hosted apps' requests in flight, by the {@code traceparent} Python
 * sees, so that a call from Python into a Spring bean runs in its request's observation: on a
 * WSGI worker thread and on an ASGI event loop, which serves many requests at once, alike.
 */
public final class TracedRequests {

	private final Map<String, Observation> inFlight = new ConcurrentHashMap<>();

	void started(String traceparent, Observation observation) {
		this.inFlight.put(traceparent, observation);
	}

	void stopped(String traceparent) {
		this.inFlight.remove(traceparent);
	}

	/**
	 * Make the request's observation the current one on this thread.
	 * @param traceparent the request's {@code traceparent}
	 * @return the scope to close when the call returns, {@code null} when the request is not
	 * in flight
	 */
	public Scope open(String traceparent) {
		Observation observation = this.inFlight.get(traceparent);
		return (observation != null) ? new Scope(observation.openScope()) : null;
	}

	/** A request's observation made current, for Python to close: a public type with a public {@code close}. */
	public static final class Scope implements AutoCloseable {

		private final Observation.Scope scope;

		Scope(Observation.Scope scope) {
			this.scope = scope;
		}

		@Override
		public void close() {
			this.scope.close();
		}

	}

}
