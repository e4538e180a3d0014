package io.springwsgi.sample;

import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Java side of the service.
 */
@RestController
@RequestMapping("/api")
class HelloController {

	@GetMapping("/hello")
	Map<String, String> hello() {
		return Map.of("message", "Hello from Java");
	}

}
