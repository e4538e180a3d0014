package io.springwsgi.boot.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import io.springwsgi.boot.HostedApp;
import io.springwsgi.boot.HostedApps;
import io.springwsgi.boot.WsgiAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeReactiveHealthContributor;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health for the hosted Python apps, configured when {@code spring-boot-health} is present
 * ({@code management.health.wsgi.enabled}).
 */
@AutoConfiguration(after = WsgiAutoConfiguration.class)
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

}
