package io.springwsgi.boot.autoconfigure;

import io.springwsgi.boot.apps.HostedApps;
import io.springwsgi.boot.security.RemoteUserFilter;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.security.core.Authentication;

/**
 * With Spring Security, the user it authenticated reaches the hosted apps as
 * {@code REMOTE_USER}. Which paths need a user is the application's
 * {@code SecurityWebFilterChain}'s to say, for Python mounts as for Java routes.
 */
@AutoConfiguration(after = WsgiAutoConfiguration.class)
@ConditionalOnClass(Authentication.class)
@ConditionalOnBean(HostedApps.class)
public final class WsgiSecurityAutoConfiguration {

	/** Inside the request observation, so the observation times the principal's look-up too. */
	static final int FILTER_ORDER = 100;

	@Bean
	@ConditionalOnMissingBean
	@Order(FILTER_ORDER)
	RemoteUserFilter wsgiRemoteUserFilter() {
		return new RemoteUserFilter();
	}

}
