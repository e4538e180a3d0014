package io.springwsgi.boot.autoconfigure;

import java.util.concurrent.atomic.AtomicInteger;

import io.springwsgi.boot.apps.DebugReloader;
import io.springwsgi.boot.apps.HostedApp;
import io.springwsgi.boot.apps.HostedApps;
import io.springwsgi.core.python.ContextBuilderCustomizer;
import io.springwsgi.core.python.PythonEngine;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableReactiveWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.server.RouterFunction;

import static org.assertj.core.api.Assertions.assertThat;

class WsgiAutoConfigurationTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WsgiAutoConfiguration.class));

	private static String[] app(int index, String name, String path, String directory, String module) {
		String prefix = "wsgi.apps[" + index + "].";
		return new String[] { prefix + "name=" + name, prefix + "path=" + path, prefix + "directory=" + directory,
				prefix + "module=" + module };
	}

	private static FailureAnalysis analysis(AssertableReactiveWebApplicationContext context) {
		Throwable failure = context.getStartupFailure();
		return new WsgiConfigurationFailureAnalyzer().analyze(failure);
	}

	@Nested
	class Conditions {

		@Test
		void withoutAppsTheEngineAndAnEmptyRouteExist() {
			WsgiAutoConfigurationTests.this.runner.run((context) -> {
				assertThat(context).hasSingleBean(PythonEngine.class).hasSingleBean(HostedApps.class);
				assertThat(context).getBean("wsgiRouterFunction").isInstanceOf(RouterFunction.class);
				assertThat(context.getBean(HostedApps.class).apps()).isEmpty();
				assertThat(context).as("no app has debug: true").doesNotHaveBean(DebugReloader.class);
			});
		}

		@Test
		void debugAppGetsTheReloaderAndCustomizersReachEachContextsBuilder() {
			WsgiAutoConfigurationTests.this.runner.withUserConfiguration(CountingCustomizer.class)
				.withPropertyValues(app(0, "edge", "/edge", "classpath:python/edge", "edge"))
				.withPropertyValues("wsgi.apps[0].debug=true", "wsgi.apps[0].pool.size=2")
				.run((context) -> {
					assertThat(context).hasSingleBean(DebugReloader.class);
					assertThat(context.getBean(CountingCustomizer.class).builders).hasValue(2);
				});
		}

		@Test
		void theCompilersGetTheCpuFirstUnlessTurnedOff() {
			WsgiAutoConfigurationTests.this.runner
				.run((context) -> assertThat(context).hasSingleBean(CompilersFirstTrigger.class));
			WsgiAutoConfigurationTests.this.runner.withPropertyValues("wsgi.compilers-first=false")
				.run((context) -> assertThat(context).doesNotHaveBean(CompilersFirstTrigger.class));
		}

		@Test
		void backsOffOutsideAReactiveWebApplication() {
			new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(WsgiAutoConfiguration.class))
				.run((context) -> assertThat(context).doesNotHaveBean(PythonEngine.class));
		}

		@Test
		void usersEngineIsUsed() {
			WsgiAutoConfigurationTests.this.runner.withUserConfiguration(UserEngine.class)
				.run((context) -> assertThat(context).getBean(PythonEngine.class)
					.isSameAs(context.getBean(UserEngine.class).engine));
		}

	}

	@Nested
	class Lifecycle {

		@Test
		void appsStartWithTheContextAndStartAgainAfterAStop() {
			WsgiAutoConfigurationTests.this.runner.withPropertyValues(app(0, "edge", "/edge", "classpath:python/edge", "edge"))
				.run((context) -> {
					HostedApps hostedApps = context.getBean(HostedApps.class);
					HostedApp edge = hostedApps.apps().get(0);
					assertThat(edge.pool()).isNotNull();
					hostedApps.stop();
					assertThat(edge.pool()).as("closed by stop()").isNull();
					assertThat(hostedApps.isRunning()).isFalse();
					hostedApps.start();
					assertThat(edge.pool()).as("loaded again by start()").isNotNull();
					assertThat(edge.pool().statistics().ready()).isEqualTo(edge.pool().size());
				});
		}

	}

	@Nested
	class PoolDefaults {

		@Test
		void appWithoutAPoolSizeGetsOneContextPerProcessor() {
			WsgiAutoConfigurationTests.this.runner.withPropertyValues(app(0, "edge", "/edge", "classpath:python/edge", "edge"))
				.run((context) -> {
					HostedApp edge = context.getBean(HostedApps.class).apps().get(0);
					int expected = WsgiProperties.Pool.defaultSize(WsgiProperties.Protocol.WSGI,
							Runtime.getRuntime().availableProcessors());
					assertThat(edge.definition().pool().size()).isEqualTo(expected);
					assertThat(edge.pool().size()).isEqualTo(expected);
					assertThat(edge.pool().statistics().ready()).as("all loaded once the context has started")
						.isEqualTo(expected);
					assertThat(edge.startup()).isEqualTo(HostedApp.Startup.READY);
				});
		}

	}

	@Nested
	class StartupFailures {

		@Test
		void warmUpRequestThatIsNotAMethodAndAPathIsNamed() {
			WsgiAutoConfigurationTests.this.runner.withPropertyValues(app(0, "edge", "/edge", "classpath:python/edge", "edge"))
				.withPropertyValues("wsgi.apps[0].warm-up.requests=/posts")
				.run((context) -> {
					FailureAnalysis analysis = analysis(context);
					assertThat(analysis.getDescription()).contains("wsgi.apps[0].warm-up.requests[0]", "'/posts'");
					assertThat(analysis.getAction()).contains("'GET /'");
				});
		}

		@Test
		void experimentalEngineOptionIsRefusedWithoutTheOptIn() {
			WsgiAutoConfigurationTests.this.runner
				.withPropertyValues("wsgi.engine-options[engine.FirstTierCompilationThreshold]=100")
				.run((context) -> {
					FailureAnalysis analysis = analysis(context);
					assertThat(analysis.getDescription()).contains(
							"wsgi.engine-options[engine.FirstTierCompilationThreshold]", "is experimental");
					assertThat(analysis.getAction()).contains("wsgi.allow-experimental-engine-options=true");
				});
		}

		@Test
		void experimentalEngineOptionIsTakenWithTheOptIn() {
			WsgiAutoConfigurationTests.this.runner
				.withPropertyValues("wsgi.engine-options[engine.FirstTierCompilationThreshold]=100",
						"wsgi.allow-experimental-engine-options=true")
				.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(PythonEngine.class));
		}

		@Test
		void unknownEngineOptionIsNamed() {
			WsgiAutoConfigurationTests.this.runner.withPropertyValues("wsgi.engine-options[engine.Nonsense]=1")
				.run((context) -> {
					FailureAnalysis analysis = analysis(context);
					assertThat(analysis.getDescription()).contains("wsgi.engine-options[engine.Nonsense]",
							"no option 'engine.Nonsense'");
					assertThat(analysis.getAction()).contains("Correct the option's name");
				});
		}

		@Test
		void missingDirectoryNamesTheAppAndProperty() {
			WsgiAutoConfigurationTests.this.runner.withPropertyValues(app(0, "flask", "/flask", "/no/such/dir", "app"))
				.run((context) -> {
					assertThat(context).hasFailed();
					FailureAnalysis analysis = analysis(context);
					assertThat(analysis.getDescription()).contains("wsgi.apps[0].directory", "'flask'", "/no/such/dir");
					assertThat(analysis.getAction()).contains("classpath:python/flask");
				});
		}

		@Test
		void missingClasspathDirectoryIsReported() {
			WsgiAutoConfigurationTests.this.runner
				.withPropertyValues(app(0, "flask", "/flask", "classpath:python/nowhere", "app"))
				.run((context) -> assertThat(analysis(context).getDescription()).contains("wsgi.apps[0].directory",
						"no resource 'python/nowhere' on the class path"));
		}

		@Test
		void duplicateNamesAreRefused() {
			WsgiAutoConfigurationTests.this.runner
				.withPropertyValues(app(0, "same", "/one", "classpath:python/edge", "edge"))
				.withPropertyValues(app(1, "same", "/two", "classpath:python/edge", "edge"))
				.run((context) -> {
					FailureAnalysis analysis = analysis(context);
					assertThat(analysis.getDescription()).contains("wsgi.apps[1].name", "'same'");
					assertThat(analysis.getAction()).contains("unique name");
				});
		}

		@Test
		void duplicateMountPathsAreRefusedWhateverTheirTrailingSlash() {
			WsgiAutoConfigurationTests.this.runner
				.withPropertyValues(app(0, "one", "/same", "classpath:python/edge", "edge"))
				.withPropertyValues(app(1, "two", "/same/", "classpath:python/edge", "edge"))
				.run((context) -> assertThat(analysis(context).getDescription()).contains("wsgi.apps[1].path",
						"'one' and 'two' are both mounted at '/same'"));
		}

		@Test
		void unknownBeanIsRefused() {
			WsgiAutoConfigurationTests.this.runner
				.withPropertyValues(app(0, "edge", "/edge", "classpath:python/edge", "edge"))
				.withPropertyValues("wsgi.apps[0].beans=noSuchBean")
				.run((context) -> assertThat(analysis(context).getDescription()).contains("wsgi.apps[0].beans[0]",
						"'noSuchBean'"));
		}

		@Test
		void moduleThatFailsToImportNamesModuleDirectoryAndPythonError() {
			WsgiAutoConfigurationTests.this.runner
				.withPropertyValues(app(0, "broken", "/broken", "classpath:python/broken", "broken"))
				.run((context) -> {
					FailureAnalysis analysis = analysis(context);
					assertThat(analysis.getDescription()).contains("wsgi.apps[0].module", "'broken'",
							"python/broken", "ModuleNotFoundError", "flask_that_is_not_installed");
					assertThat(analysis.getAction()).contains("'flask_that_is_not_installed' is not on the app's "
							+ "sys.path", "python-path");
				});
		}

		@Test
		void cpythonExtensionIsNamedWithWhatToDoInstead() {
			WsgiAutoConfigurationTests.this.runner
				.withPropertyValues(app(0, "cext", "/cext", "classpath:python/cextension", "cextension"))
				.run((context) -> {
					FailureAnalysis analysis = analysis(context);
					assertThat(analysis.getDescription()).contains("wsgi.apps[0].module",
							"No module named '_speedups'");
					assertThat(analysis.getAction()).contains("'_speedups' exists here only as a C extension built "
							+ "for CPython", "_speedups.cpython-311-x86_64-linux-gnu.so", "pure-Python package")
						.doesNotContain("name a callable");
				});
		}

		@Test
		void nativeModuleRefusedInAContextNamesTheModuleAndTheOption() {
			WsgiAutoConfigurationTests.this.runner
				.withPropertyValues(app(0, "refused", "/refused", "classpath:python/nativerefused", "nativerefused"))
				.run((context) -> {
					FailureAnalysis analysis = analysis(context);
					assertThat(analysis.getAction()).contains("native module 'termios'",
							"option(\"python.IsolateNativeModules\", \"true\")")
						.doesNotContain("python-path");
				});
		}

		@Test
		void missingCallableIsNamed() {
			WsgiAutoConfigurationTests.this.runner
				.withPropertyValues(app(0, "nocallable", "/x", "classpath:python/nocallable", "nocallable"))
				.run((context) -> assertThat(analysis(context).getDescription())
					.contains("has no attribute 'application'"));
		}

		@Test
		void callableThatIsNotCallableIsNamed() {
			WsgiAutoConfigurationTests.this.runner
				.withPropertyValues(app(0, "nocallable", "/x", "classpath:python/nocallable", "nocallable"))
				.withPropertyValues("wsgi.apps[0].callable=wsgi_app")
				.run((context) -> assertThat(analysis(context).getDescription()).contains("not a callable"));
		}

		@Test
		void mountPathOverAJavaEndpointIsRefused() {
			WsgiAutoConfigurationTests.this.runner
				.withConfiguration(AutoConfigurations.of(WebFluxAutoConfiguration.class))
				.withUserConfiguration(JavaEndpoint.class)
				.withPropertyValues(app(0, "edge", "/java", "classpath:python/edge", "edge"))
				.run((context) -> {
					FailureAnalysis analysis = analysis(context);
					assertThat(analysis.getDescription()).contains("wsgi.apps[0].path", "would hide the Java endpoint",
							"'/java/hello'");
					assertThat(analysis.getAction()).contains("no @RequestMapping uses");
				});
		}

		@Test
		void invalidMountPathFailsBinding() {
			WsgiAutoConfigurationTests.this.runner.withPropertyValues(app(0, "edge", "edge", "classpath:python/edge", "edge"))
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.rootCause()
					.hasMessageContaining("wsgi.apps[0].path"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class JavaEndpoint {

		@Bean
		HelloController helloController() {
			return new HelloController();
		}

	}

	@RestController
	static class HelloController {

		@GetMapping("/java/hello")
		String hello() {
			return "hello";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CountingCustomizer {

		final AtomicInteger builders = new AtomicInteger();

		@Bean
		ContextBuilderCustomizer countingCustomizer() {
			return (builder) -> this.builders.incrementAndGet();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserEngine {

		final PythonEngine engine = PythonEngine.create();

		@Bean
		PythonEngine pythonEngine() {
			return this.engine;
		}

	}

}
