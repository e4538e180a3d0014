package io.springwsgi.boot.autoconfigure;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.springwsgi.boot.actuate.WsgiEndpoint;
import io.springwsgi.boot.actuate.WsgiEndpointWebExtension;
import io.springwsgi.boot.actuate.WsgiPoolMetrics;
import io.springwsgi.boot.apps.HostedApps;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.web.WebEndpointsSupplier;
import org.springframework.boot.actuate.endpoint.web.WebOperation;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeReactiveHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When {@link WsgiActuatorAutoConfiguration} contributes health, metrics and the endpoint,
 * and when it backs off. No Python app runs here: the {@link HostedApps} of these contexts
 * host none.
 */
class WsgiActuatorAutoConfigurationTests {

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WsgiActuatorAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=wsgi");

	@Test
	void contributesHealthMetricsAndEndpointForHostedApps() {
		this.contextRunner.withUserConfiguration(HostedAppsConfiguration.class, MeterRegistryConfiguration.class)
			.run((context) -> assertThat(context).hasBean("wsgiHealthContributor")
				.hasSingleBean(WsgiPoolMetrics.class)
				.hasSingleBean(WsgiEndpoint.class)
				.hasSingleBean(WsgiEndpointWebExtension.class));
	}

	@Test
	void endpointIsReadOnlyByDefault() {
		this.contextRunner.withUserConfiguration(HostedAppsConfiguration.class)
			.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class))
			.run((context) -> assertThat(wsgiOperationTypes(context)).containsOnly(OperationType.READ));
	}

	private static List<OperationType> wsgiOperationTypes(ApplicationContext context) {
		return context.getBean(WebEndpointsSupplier.class)
			.getEndpoints()
			.stream()
			.filter((endpoint) -> endpoint.getEndpointId().equals(EndpointId.of("wsgi")))
			.flatMap((endpoint) -> endpoint.getOperations().stream())
			.map(WebOperation::getType)
			.toList();
	}

	@Test
	void backsOffWithoutHostedApps() {
		this.contextRunner.withUserConfiguration(MeterRegistryConfiguration.class)
			.run((context) -> assertThat(context).doesNotHaveBean(ReactiveHealthContributor.class)
				.doesNotHaveBean(WsgiPoolMetrics.class)
				.doesNotHaveBean(WsgiEndpoint.class)
				.doesNotHaveBean(WsgiEndpointWebExtension.class));
	}

	@Test
	void backsOffWithoutActuatorClasses() {
		this.contextRunner.withUserConfiguration(HostedAppsConfiguration.class)
			.withClassLoader(new FilteredClassLoader(Endpoint.class, ReactiveHealthContributor.class,
					MeterRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean("wsgiHealthContributor")
				.doesNotHaveBean(WsgiPoolMetrics.class)
				.doesNotHaveBean(WsgiEndpoint.class));
	}

	@Test
	void healthNeedsSpringBootHealth() {
		this.contextRunner.withUserConfiguration(HostedAppsConfiguration.class)
			.withClassLoader(new FilteredClassLoader(ReactiveHealthContributor.class))
			.run((context) -> assertThat(context).doesNotHaveBean("wsgiHealthContributor")
				.hasSingleBean(WsgiEndpoint.class));
	}

	@Test
	void healthCanBeDisabled() {
		this.contextRunner.withUserConfiguration(HostedAppsConfiguration.class)
			.withPropertyValues("management.health.wsgi.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("wsgiHealthContributor"));
	}

	@Test
	void metricsNeedAMeterRegistry() {
		this.contextRunner.withUserConfiguration(HostedAppsConfiguration.class)
			.run((context) -> assertThat(context).hasBean("wsgiHealthContributor")
				.doesNotHaveBean(WsgiPoolMetrics.class));
	}

	@Test
	void endpointNeedsToBeExposed() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WsgiActuatorAutoConfiguration.class))
			.withUserConfiguration(HostedAppsConfiguration.class)
			.run((context) -> assertThat(context).doesNotHaveBean(WsgiEndpoint.class)
				.doesNotHaveBean(WsgiEndpointWebExtension.class)
				.hasBean("wsgiHealthContributor"));
	}

	@Test
	void userBeansWin() {
		this.contextRunner
			.withUserConfiguration(HostedAppsConfiguration.class, MeterRegistryConfiguration.class,
					UserBeansConfiguration.class)
			.run((context) -> {
				assertThat(context.getBeanNamesForType(WsgiPoolMetrics.class)).containsExactly("userPoolMetrics");
				assertThat(context.getBeanNamesForType(WsgiEndpoint.class)).containsExactly("userEndpoint");
				assertThat(context.getBeanNamesForType(ReactiveHealthContributor.class))
					.containsExactly("wsgiHealthContributor");
				assertThat(context.getBean("wsgiHealthContributor"))
					.isNotInstanceOf(CompositeReactiveHealthContributor.class);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class HostedAppsConfiguration {

		/** No apps, so no Python engine is needed. */
		@Bean
		HostedApps hostedApps() {
			return new HostedApps(List.of());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MeterRegistryConfiguration {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeansConfiguration {

		@Bean
		WsgiPoolMetrics userPoolMetrics(HostedApps apps) {
			return new WsgiPoolMetrics(apps);
		}

		@Bean
		WsgiEndpoint userEndpoint(HostedApps apps) {
			return new WsgiEndpoint(apps);
		}

		@Bean
		ReactiveHealthIndicator wsgiHealthContributor() {
			return () -> Mono.just(Health.up().build());
		}

	}

}
