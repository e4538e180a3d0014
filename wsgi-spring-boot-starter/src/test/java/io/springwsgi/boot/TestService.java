package io.springwsgi.boot;

import java.util.Map;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A service with one Java endpoint and a PostgreSQL database, to which the tests add Python
 * apps through {@code wsgi.apps}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(EmbeddedDatabase.class)
public class TestService {

	@RestController
	static class JavaController {

		@GetMapping("/api/hello")
		Map<String, String> hello() {
			return Map.of("app", "java");
		}

	}

}
