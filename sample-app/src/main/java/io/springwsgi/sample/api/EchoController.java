package io.springwsgi.sample.api;

import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebInputException;

/**
 * {@code /api/plaintext} and {@code /api/echo}: the routes without a database that every mount
 * serves for the benchmark ({@code bin/benchmark}), the Java baseline next to the Python apps.
 */
@RestController
class EchoController {

	@GetMapping(path = "/api/plaintext", produces = MediaType.TEXT_PLAIN_VALUE)
	String plaintext() {
		return "Hello, World!";
	}

	/** The posted JSON object as it came; anything but an object is a 400. */
	@PostMapping("/api/echo")
	Map<String, Object> echo(@RequestBody Map<String, Object> body) {
		return body;
	}

	@ExceptionHandler
	ResponseEntity<ApiError> badInput(ServerWebInputException ex) {
		return ResponseEntity.badRequest().body(new ApiError("the request body must be a JSON object"));
	}

}
