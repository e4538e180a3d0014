package io.springwsgi.boot.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names a hosted app's request observation and its key values; a bean of this type replaces
 * {@link DefaultWsgiRequestObservationConvention}.
 */
public interface WsgiRequestObservationConvention extends ObservationConvention<WsgiRequestObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof WsgiRequestObservationContext;
	}

}
