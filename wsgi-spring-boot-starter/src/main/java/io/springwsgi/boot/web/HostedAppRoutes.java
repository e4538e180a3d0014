package io.springwsgi.boot.web;

import java.util.List;

import io.springwsgi.boot.apps.HostedApp;
import io.springwsgi.core.asgi.AsgiApplication;
import io.springwsgi.core.wsgi.WsgiApplication;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The routes of the hosted apps: one per app, its handler chosen by the app's protocol, each
 * wrapped in the {@link HostedAppFilter}s.
 */
public final class HostedAppRoutes {

	private HostedAppRoutes() {
	}

	/**
	 * The routes of all apps.
	 * @param apps the apps
	 * @param filters the filters, the first outermost
	 * @return one router function for all of them
	 */
	public static RouterFunction<ServerResponse> of(List<HostedApp> apps, List<HostedAppFilter> filters) {
		RouterFunction<ServerResponse> routes = (request) -> Mono.empty();
		for (HostedApp app : apps) {
			RouterFunction<ServerResponse> route = route(app);
			// filter() wraps what is there, so applying the last first leaves the first outermost.
			for (HostedAppFilter filter : filters.reversed()) {
				route = route.filter(filter.filterFor(app));
			}
			routes = routes.and(route);
		}
		return routes;
	}

	/**
	 * The route of one app: its mount path itself ({@code /flask}, which IRIS answers with 404)
	 * and everything below it.
	 */
	private static RouterFunction<ServerResponse> route(HostedApp app) {
		String mount = app.mountPath();
		RequestPredicate predicate = mount.isEmpty() ? RequestPredicates.all()
				: RequestPredicates.path(mount).or(RequestPredicates.path(mount + "/**"));
		HandlerFunction<ServerResponse> handler = app.definition().isAsgi()
				? new AsgiHandlerFunction(() -> app.server(AsgiApplication.class))
				: new WsgiHandlerFunction(() -> app.server(WsgiApplication.class));
		return RouterFunctions.route(predicate, new StartingAppHandlerFunction(app.name(), app::serving,
				app.definition().pool().acquireTimeout(), app.definition().pool().maxWaiting(), handler,
				app.startupWaiters()));
	}

}
