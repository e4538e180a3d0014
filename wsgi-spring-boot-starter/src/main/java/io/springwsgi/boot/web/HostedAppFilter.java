package io.springwsgi.boot.web;

import io.springwsgi.boot.apps.HostedApp;

import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Wraps the route of each hosted app, for concerns that need to see every request to it and
 * its response, such as request metrics. Beans of this type are applied in their
 * {@link org.springframework.core.annotation.Order order}, the first outermost.
 */
@FunctionalInterface
public interface HostedAppFilter {

	/**
	 * The filter for one app's route.
	 * @param app the app whose requests it sees
	 * @return the filter
	 */
	HandlerFilterFunction<ServerResponse, ServerResponse> filterFor(HostedApp app);

}
