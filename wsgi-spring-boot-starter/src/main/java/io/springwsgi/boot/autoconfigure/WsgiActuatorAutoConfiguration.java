package io.springwsgi.boot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.springwsgi.boot.actuate.HostedAppHealthIndicator;
import io.springwsgi.boot.actuate.WsgiEndpoint;
import io.springwsgi.boot.actuate.WsgiEndpointWebExtension;
import io.springwsgi.boot.actuate.WsgiPoolMetrics;
import io.springwsgi.boot.apps.HostedApp;
import io.springwsgi.boot.apps.HostedApps;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeReactiveHealthContributor;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health, metrics and the {@code wsgi} endpoint for the hosted Python apps. Each part is
 * configured when its library is present: health with {@code spring-boot-health}
 * ({@code management.health.wsgi.enabled}), pool metrics with Micrometer and a
 * {@link MeterRegistry} (request metrics come from the requests' observations, see
 * {@link io.springwsgi.boot.observation.WsgiObservationAutoConfiguration}), the endpoint with Spring Boot's actuator once it is exposed.
 */
@AutoConfiguration(after = { WsgiAutoConfiguration.class, MetricsAutoConfiguration.class,
		CompositeMeterRegistryAutoConfiguration.class })
@ConditionalOnBean(HostedApps.class)
public final class WsgiActuatorAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ReactiveHealthContributor.class)
	@ConditionalOnEnabledHealthIndicator("wsgi")
	static final class HealthConfiguration {

		/** One indicator per app, under {@code wsgi} in the health endpoint. */
		@Bean
		@ConditionalOnMissingBean(name = { "wsgiHealthIndicator", "wsgiHealthContributor" })
		ReactiveHealthContributor wsgiHealthContributor(HostedApps hostedApps) {
			Map<String, HostedAppHealthIndicator> indicators = new LinkedHashMap<>();
			for (HostedApp app : hostedApps.apps()) {
				indicators.put(app.name(), new HostedAppHealthIndicator(app));
			}
			return CompositeReactiveHealthContributor.fromMap(indicators);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static final class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		WsgiPoolMetrics wsgiPoolMetrics(HostedApps hostedApps) {
			return new WsgiPoolMetrics(hostedApps);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
	@ConditionalOnAvailableEndpoint(WsgiEndpoint.class)
	static final class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		WsgiEndpoint wsgiEndpoint(HostedApps hostedApps) {
			return new WsgiEndpoint(hostedApps);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(WsgiEndpoint.class)
		@ConditionalOnAvailableEndpoint(endpoint = WsgiEndpoint.class, exposure = EndpointExposure.WEB)
		WsgiEndpointWebExtension wsgiEndpointWebExtension(WsgiEndpoint endpoint) {
			return new WsgiEndpointWebExtension(endpoint);
		}

	}

}
