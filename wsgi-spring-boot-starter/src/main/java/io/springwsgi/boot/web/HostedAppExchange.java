package io.springwsgi.boot.web;

import java.util.Map;

import org.springframework.web.server.ServerWebExchange;

/**
 * What filters in front of a hosted app tell it about a request beyond its HTTP head, as
 * attributes of the exchange: the user Spring authenticated ({@code REMOTE_USER}) and the trace
 * context of the span serving the request; and what the app tells them back: the route
 * template its framework matched.
 */
public final class HostedAppExchange {

	/** Attribute holding the authenticated user's name, a {@code String}. */
	public static final String REMOTE_USER = HostedAppExchange.class.getName() + ".remoteUser";

	/** Attribute holding the W3C trace context fields, a {@code Map<String, String>}. */
	public static final String TRACE_CONTEXT = HostedAppExchange.class.getName() + ".traceContext";

	/** Attribute holding the route template the app's framework matched, a {@code String}. */
	public static final String ROUTE = HostedAppExchange.class.getName() + ".route";

	private HostedAppExchange() {
	}

	static String remoteUser(ServerWebExchange exchange) {
		return exchange.getAttribute(REMOTE_USER);
	}

	static void routeMatched(ServerWebExchange exchange, String template) {
		exchange.getAttributes().put(ROUTE, template);
	}

	static Map<String, String> traceContext(ServerWebExchange exchange) {
		Map<String, String> fields = exchange.getAttribute(TRACE_CONTEXT);
		return (fields != null) ? fields : Map.of();
	}

}
