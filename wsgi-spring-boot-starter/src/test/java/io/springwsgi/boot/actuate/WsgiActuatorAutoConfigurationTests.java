package io.springwsgi.boot.actuate;

import io.springwsgi.boot.HostedApps;
import io.springwsgi.boot.WsgiProperties;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeReactiveHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When {@link WsgiActuatorAutoConfiguration} contributes health, and when it backs off. No
 * Python app runs here: the {@link HostedApps} of these contexts host none.
 */
class WsgiActuatorAutoConfigurationTests {

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WsgiActuatorAutoConfiguration.class));

	@Test
	void contributesHealthForHostedApps() {
		this.contextRunner.withUserConfiguration(HostedAppsConfiguration.class)
			.run((context) -> assertThat(context).hasBean("wsgiHealthContributor"));
	}

	@Test
	void backsOffWithoutHostedApps() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(ReactiveHealthContributor.class));
	}

	@Test
	void healthNeedsSpringBootHealth() {
		this.contextRunner.withUserConfiguration(HostedAppsConfiguration.class)
			.withClassLoader(new FilteredClassLoader(ReactiveHealthContributor.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("wsgiHealthContributor"));
	}

	@Test
	void healthCanBeDisabled() {
		this.contextRunner.withUserConfiguration(HostedAppsConfiguration.class)
			.withPropertyValues("management.health.wsgi.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("wsgiHealthContributor"));
	}

	@Test
	void userBeansWin() {
		this.contextRunner.withUserConfiguration(HostedAppsConfiguration.class, UserBeansConfiguration.class)
			.run((context) -> {
				assertThat(context.getBeanNamesForType(ReactiveHealthContributor.class))
					.containsExactly("wsgiHealthContributor");
				assertThat(context.getBean("wsgiHealthContributor"))
					.isNotInstanceOf(CompositeReactiveHealthContributor.class);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class HostedAppsConfiguration {

		/** No apps, so the Python engine, here {@code null}, is never used. */
		@Bean
		HostedApps hostedApps() {
			return new HostedApps(null, new WsgiProperties(), "", getClass().getClassLoader());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeansConfiguration {

		@Bean
		ReactiveHealthIndicator wsgiHealthContributor() {
			return () -> Mono.just(Health.up().build());
		}

	}

}
