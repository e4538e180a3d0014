package io.springwsgi.boot.observation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.micrometer.observation.Observation;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;

/**
 * The trace context of the span Micrometer Tracing keeps for an observation, written by the
 * application's {@link Propagator}: with Spring Boot's default W3C propagation (Brave or
 * OpenTelemetry), {@code traceparent} and, when there is one, {@code tracestate}.
 */
public final class PropagatorTraceContextSource implements TraceContextSource {

	private static final Set<String> FIELDS = Set.of("traceparent", "tracestate");

	private final Propagator propagator;

	public PropagatorTraceContextSource(Propagator propagator) {
		this.propagator = propagator;
	}

	@Override
	public Map<String, String> traceContext(Observation observation) {
		TracingObservationHandler.TracingContext tracing = observation.getContext()
			.get(TracingObservationHandler.TracingContext.class);
		Span span = (tracing != null) ? tracing.getSpan() : null;
		if (span == null) {
			return Map.of();
		}
		Map<String, String> fields = new LinkedHashMap<>();
		this.propagator.inject(span.context(), fields, (carrier, key, value) -> {
			if (FIELDS.contains(key)) {
				carrier.put(key, value);
			}
		});
		return fields;
	}

}
