package io.springwsgi.boot.observation;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

import org.springframework.http.HttpMethod;

/**
 * {@code wsgi.requests}, with low-cardinality key values {@code app}, {@code method},
 * {@code route}, {@code status} and {@code outcome} (the tags of the timer Spring Boot's metrics
 * make of it), and the request path as a high-cardinality {@code uri} (on the span only). The
 * route is the template the app's framework matched (Flask, Django, FastAPI and Starlette say),
 * else {@code UNKNOWN}; a response that did not complete has the outcome {@code UNKNOWN}.
 */
public class DefaultWsgiRequestObservationConvention implements WsgiRequestObservationConvention {

	/** The observation's name, and so the timer's. */
	public static final String NAME = "wsgi.requests";

	/** Methods outside this set are one value, so clients cannot grow the key's values. */
	private static final Set<String> METHODS = Arrays.stream(HttpMethod.values())
		.map(HttpMethod::name)
		.collect(Collectors.toUnmodifiableSet());

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(WsgiRequestObservationContext context) {
		return context.getApp() + " " + method(context);
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(WsgiRequestObservationContext context) {
		int status = context.getStatus();
		String outcome = context.isCompleted() ? outcome(status) : "UNKNOWN";
		return KeyValues.of(KeyValue.of("app", context.getApp()), KeyValue.of("method", method(context)),
				KeyValue.of("route", (context.getRoute() != null) ? context.getRoute() : "UNKNOWN"),
				KeyValue.of("status", (status > 0) ? Integer.toString(status) : "UNKNOWN"),
				KeyValue.of("outcome", outcome));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(WsgiRequestObservationContext context) {
		return KeyValues.of(KeyValue.of("uri", context.getPath()));
	}

	/** The outcome as Spring's {@code http.server.requests} names it. */
	private static String outcome(int status) {
		return switch (status / 100) {
			case 1 -> "INFORMATIONAL";
			case 2 -> "SUCCESS";
			case 3 -> "REDIRECTION";
			case 4 -> "CLIENT_ERROR";
			case 5 -> "SERVER_ERROR";
			default -> "UNKNOWN";
		};
	}

	private static String method(WsgiRequestObservationContext context) {
		return METHODS.contains(context.getMethod()) ? context.getMethod() : "UNKNOWN";
	}

}
