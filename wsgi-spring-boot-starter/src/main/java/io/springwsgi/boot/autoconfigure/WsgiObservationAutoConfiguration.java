package io.springwsgi.boot.autoconfigure;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.propagation.Propagator;
import io.springwsgi.boot.apps.HostedApps;
import io.springwsgi.boot.observation.DefaultWsgiRequestObservationConvention;
import io.springwsgi.boot.observation.PropagatorTraceContextSource;
import io.springwsgi.boot.observation.TraceContextSource;
import io.springwsgi.boot.observation.TracedRequests;
import io.springwsgi.boot.observation.WsgiRequestObservationConvention;
import io.springwsgi.boot.observation.WsgiRequestObservationFilter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * Observes the hosted apps' requests when the application has an {@link ObservationRegistry}
 * (Spring Boot's actuator): a {@code wsgi.requests} timer with metrics, a span with tracing, the
 * span's trace context handed to Python, and Python's calls into Spring beans inside it.
 */
@AutoConfiguration(after = WsgiAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnBean({ HostedApps.class, ObservationRegistry.class })
public final class WsgiObservationAutoConfiguration {

	/** Outermost of the filters in front of an app, so it sees what the others answer. */
	static final int FILTER_ORDER = 0;

	@Bean
	@ConditionalOnMissingBean
	TracedRequests wsgiTracedRequests() {
		return new TracedRequests();
	}

	@Bean
	@ConditionalOnMissingBean
	WsgiRequestObservationConvention wsgiRequestObservationConvention() {
		return new DefaultWsgiRequestObservationConvention();
	}

	@Bean
	@ConditionalOnMissingBean
	@Order(FILTER_ORDER)
	WsgiRequestObservationFilter wsgiRequestObservationFilter(ObservationRegistry registry,
			WsgiRequestObservationConvention convention, ObjectProvider<TraceContextSource> traceContextSource,
			TracedRequests tracedRequests) {
		return new WsgiRequestObservationFilter(registry, convention,
				traceContextSource.getIfAvailable(() -> TraceContextSource.NONE), tracedRequests);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Propagator.class)
	static final class TracingConfiguration {

		/** Looked up when the filter is created, whichever tracer's auto-configuration defines it. */
		@Bean
		@ConditionalOnMissingBean
		TraceContextSource wsgiTraceContextSource(ObjectProvider<Propagator> propagator) {
			Propagator available = propagator.getIfAvailable();
			return (available != null) ? new PropagatorTraceContextSource(available) : TraceContextSource.NONE;
		}

	}

}
