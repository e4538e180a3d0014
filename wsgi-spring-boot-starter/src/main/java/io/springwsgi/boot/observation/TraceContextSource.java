package io.springwsgi.boot.observation;

import java.util.Map;

import io.micrometer.observation.Observation;

/**
 * The W3C trace context ({@code traceparent}, {@code tracestate}) of the span a tracer made of
 * an observation, for the Python app's outgoing calls.
 */
@FunctionalInterface
public interface TraceContextSource {

	/** For services without a tracer. */
	TraceContextSource NONE = (observation) -> Map.of();

	/**
	 * The trace context of a started observation.
	 * @param observation the observation
	 * @return the fields, empty when the observation has no span
	 */
	Map<String, String> traceContext(Observation observation);

}
