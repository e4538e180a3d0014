package io.springwsgi.sample.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import io.springwsgi.sample.interop.EchoOperation;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/interop}: the request as a message to {@link EchoOperation}, its answer as the
 * response — what the Python apps do through {@code spring.beans.echoOperation}.
 */
@RestController
class InteropController {

	private final EchoOperation echo;

	InteropController(EchoOperation echo) {
		this.echo = echo;
	}

	@RequestMapping(path = "/api/interop",
			method = { RequestMethod.GET, RequestMethod.POST, RequestMethod.PUT, RequestMethod.DELETE })
	Map<String, Object> interop(ServerHttpRequest request, @RequestBody(required = false) String body) {
		return this.echo.handle(Map.of("method", request.getMethod().name(), "url", request.getURI().toString(),
				"headers", headers(request.getHeaders()), "body", (body != null) ? body : ""));
	}

	private static Map<String, String> headers(HttpHeaders headers) {
		return headers.headerSet()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, (entry) -> String.join(",", entry.getValue()),
					(first, second) -> first, LinkedHashMap::new));
	}

}
