package io.springwsgi.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A service with one Java endpoint and a PostgreSQL database, to which the tests add Python
 * apps through {@code wsgi.apps}. Spring Security guards {@code /whoami} of the apps and of Java
 * alike (HTTP Basic, user {@code alice}); everything else is open. Brave traces every request
 * and keeps the finished spans in memory.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(EmbeddedDatabase.class)
public class TestService {

	static final String USER = "alice";

	static final String PASSWORD = "wonderland";

	@Bean
	SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
		return http
			.authorizeExchange((exchanges) -> exchanges.pathMatchers("/*/whoami").authenticated().anyExchange().permitAll())
			.httpBasic(Customizer.withDefaults())
			// The other tests check the apps' own responses, headers included: Security adds none.
			.headers(ServerHttpSecurity.HeaderSpec::disable)
			.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.build();
	}

	@Bean
	MapReactiveUserDetailsService users() {
		return new MapReactiveUserDetailsService(
				User.withUsername(USER).password("{noop}" + PASSWORD).roles("USER").build());
	}

	@Bean
	RecordedSpans recordedSpans() {
		return new RecordedSpans();
	}

	@RestController
	static class JavaController {

		@GetMapping("/api/hello")
		Map<String, String> hello() {
			return Map.of("app", "java");
		}

		@GetMapping("/api/whoami")
		Map<String, String> whoami(java.security.Principal principal) {
			return Map.of("name", principal.getName());
		}

	}

	/** The spans Brave finished, in memory: the exporter of these tests. */
	static final class RecordedSpans extends SpanHandler {

		private final List<MutableSpan> spans = new ArrayList<>();

		@Override
		public synchronized boolean end(TraceContext context, MutableSpan span, Cause cause) {
			this.spans.add(span);
			notifyAll();
			return true;
		}

		/**
		 * The span of a trace whose name starts with this one (case aside), waiting for it to
		 * end: spans end after the response has reached the client.
		 */
		synchronized MutableSpan await(String traceId, String name, Duration patience) throws InterruptedException {
			long deadline = System.nanoTime() + patience.toNanos();
			while (true) {
				for (MutableSpan span : this.spans) {
					if (traceId.equals(span.traceId()) && span.name() != null
							&& span.name().toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT))) {
						return span;
					}
				}
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					throw new AssertionError("no span '" + name + "' in trace " + traceId + " within " + patience
							+ "; it has " + ofTrace(traceId).stream().map(MutableSpan::name).toList());
				}
				TimeUnit.NANOSECONDS.timedWait(this, left);
			}
		}

		/** Whether a span descends from another through the parents recorded so far. */
		synchronized boolean descends(MutableSpan span, MutableSpan ancestor) {
			Map<String, MutableSpan> byId = new HashMap<>();
			ofTrace(span.traceId()).forEach((candidate) -> byId.put(candidate.id(), candidate));
			for (String parent = span.parentId(); parent != null; parent = byId.containsKey(parent)
					? byId.get(parent).parentId() : null) {
				if (parent.equals(ancestor.id())) {
					return true;
				}
			}
			return false;
		}

		private synchronized List<MutableSpan> ofTrace(String traceId) {
			return this.spans.stream().filter((span) -> traceId.equals(span.traceId())).toList();
		}

	}

}
