package io.springwsgi.boot.autoconfigure;

import java.time.Duration;
import java.util.Map;

import io.springwsgi.boot.autoconfigure.WsgiProperties.App;
import io.springwsgi.boot.autoconfigure.WsgiProperties.Protocol;
import io.springwsgi.core.python.CompilationMode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

class WsgiPropertiesTests {

	private static WsgiProperties bind(Map<String, String> values) {
		return new Binder(new MapConfigurationPropertySource(values)).bind("wsgi", Bindable.of(WsgiProperties.class))
			.orElseGet(WsgiProperties::new);
	}

	@Nested
	class Defaults {

		private final App app = bind(Map.of("wsgi.apps[0].name", "flask")).getApps().get(0);

		@Test
		void callableIsApplicationLikePep3333Servers() {
			assertThat(this.app.getCallable()).isEqualTo("application");
		}

		@Test
		void protocolIsWsgiAndDebugIsOff() {
			assertThat(this.app.getProtocol()).isEqualTo(Protocol.WSGI);
			assertThat(this.app.isDebug()).isFalse();
		}

		@Test
		void poolSizeIsLeftToTheMachineAndAcquireTimeoutIsFiveSeconds() {
			assertThat(this.app.getPool().getSize()).isNull();
			assertThat(this.app.getPool().getAcquireTimeout()).isEqualTo(Duration.ofSeconds(5));
			assertThat(this.app.getPool().getMaxRequests()).isZero();
		}

		@Test
		void wsgiPoolSizeDefaultsToOneContextPerProcessorUpToEight() {
			assertThat(WsgiProperties.Pool.defaultSize(Protocol.WSGI, 1)).isEqualTo(1);
			assertThat(WsgiProperties.Pool.defaultSize(Protocol.WSGI, 2)).isEqualTo(2);
			assertThat(WsgiProperties.Pool.defaultSize(Protocol.WSGI, 6)).isEqualTo(6);
			assertThat(WsgiProperties.Pool.defaultSize(Protocol.WSGI, 64)).isEqualTo(8);
		}

		@Test
		void asgiPoolSizeDefaultsToOneContextPerTwoProcessorsUpToFour() {
			assertThat(WsgiProperties.Pool.defaultSize(Protocol.ASGI, 1)).isEqualTo(1);
			assertThat(WsgiProperties.Pool.defaultSize(Protocol.ASGI, 2)).isEqualTo(1);
			assertThat(WsgiProperties.Pool.defaultSize(Protocol.ASGI, 3)).isEqualTo(2);
			assertThat(WsgiProperties.Pool.defaultSize(Protocol.ASGI, 64)).isEqualTo(4);
		}

		@Test
		void noWarmUpRequestsAndTwentyRoundsOfAtMostThirtySeconds() {
			assertThat(this.app.getWarmUp().getRequests()).isEmpty();
			assertThat(this.app.getWarmUp().getRounds()).isEqualTo(20);
			assertThat(this.app.getWarmUp().getMaxDuration()).isEqualTo(Duration.ofSeconds(30));
		}

		@Test
		void asgiPathConventionIsDetectedAndAContextServes256RequestsAtOnce() {
			assertThat(this.app.getRootPathInPath()).isNull();
			assertThat(this.app.getPool().getMaxInFlight()).isEqualTo(256);
		}

		@Test
		void webSocketMessagesAreLimitedTo64KB() {
			assertThat(this.app.getWebsocket().getMaxMessageSize()).isEqualTo(DataSize.ofKilobytes(64));
		}

		@Test
		void appsMayUseNoBeansAndNoExtraPath() {
			assertThat(this.app.getBeans()).isEmpty();
			assertThat(this.app.getPythonPath()).isEmpty();
		}

		@Test
		void hostClassLookupIsOff() {
			assertThat(bind(Map.of()).isHostClassLookup()).isFalse();
		}

		@Test
		void appsCloseWithinTenSecondsAtShutdown() {
			assertThat(bind(Map.of()).getShutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
			assertThat(bind(Map.of("wsgi.shutdown-timeout", "25s")).getShutdownTimeout())
				.isEqualTo(Duration.ofSeconds(25));
		}

		@Test
		void sqlReturnsUpTo10000RowsFetched500AtATime() {
			WsgiProperties properties = bind(Map.of());
			assertThat(properties.getSql().getMaxRows()).isEqualTo(10_000);
			assertThat(properties.getSql().getFetchSize()).isEqualTo(500);
		}

		@Test
		void pythonIsCompiledForLatency() {
			assertThat(bind(Map.of()).getCompilationMode()).isEqualTo(CompilationMode.LATENCY);
		}

		@Test
		void noEngineOptionAndNoExperimentalOne() {
			WsgiProperties properties = bind(Map.of());
			assertThat(properties.getEngineOptions()).isEmpty();
			assertThat(properties.isAllowExperimentalEngineOptions()).isFalse();
		}

		@Test
		void theCompilersGetTheCpuFirst() {
			assertThat(bind(Map.of()).isCompilersFirst()).isTrue();
		}

	}

	@Nested
	class Binding {

		private final App app = bind(Map.ofEntries(Map.entry("wsgi.apps[0].name", "django"),
				Map.entry("wsgi.apps[0].path", "/django"), Map.entry("wsgi.apps[0].directory", "classpath:python/django"),
				Map.entry("wsgi.apps[0].module", "mysite.wsgi"), Map.entry("wsgi.apps[0].protocol", "asgi"),
				Map.entry("wsgi.apps[0].python-path[0]", "/venv/site-packages"),
				Map.entry("wsgi.apps[0].beans", "blogService,commentService"),
				Map.entry("wsgi.apps[0].env.DJANGO_SETTINGS_MODULE", "mysite.settings"),
				Map.entry("wsgi.apps[0].max-body-size", "20MB"), Map.entry("wsgi.apps[0].request-timeout", "90s"),
				Map.entry("wsgi.apps[0].pool.size", "4"), Map.entry("wsgi.apps[0].pool.acquire-timeout", "250ms"),
				Map.entry("wsgi.apps[0].pool.max-waiting", "7"), Map.entry("wsgi.apps[0].pool.max-requests", "1000"),
				Map.entry("wsgi.apps[0].root-path-in-path", "false"), Map.entry("wsgi.apps[0].pool.max-in-flight", "32"),
				Map.entry("wsgi.apps[0].websocket.max-message-size", "1MB"),
				Map.entry("wsgi.apps[0].warm-up.requests[0]", "GET /"),
				Map.entry("wsgi.apps[0].warm-up.requests[1]", "GET /posts?limit=1"),
				Map.entry("wsgi.apps[0].warm-up.rounds", "5"), Map.entry("wsgi.apps[0].warm-up.max-duration", "1m")))
			.getApps()
			.get(0);

		@Test
		void dottedModuleAndProtocolBind() {
			assertThat(this.app.getModule()).isEqualTo("mysite.wsgi");
			assertThat(this.app.getProtocol()).isEqualTo(Protocol.ASGI);
		}

		@Test
		void listsAndMapsBind() {
			assertThat(this.app.getPythonPath()).containsExactly("/venv/site-packages");
			assertThat(this.app.getBeans()).containsExactly("blogService", "commentService");
			assertThat(this.app.getEnv()).containsEntry("DJANGO_SETTINGS_MODULE", "mysite.settings");
		}

		@Test
		void sizesAndDurationsBindWithUnits() {
			assertThat(this.app.getMaxBodySize()).isEqualTo(DataSize.ofMegabytes(20));
			assertThat(this.app.getRequestTimeout()).isEqualTo(Duration.ofSeconds(90));
			assertThat(this.app.getPool().getAcquireTimeout()).isEqualTo(Duration.ofMillis(250));
		}

		@Test
		void poolSettingsBind() {
			assertThat(this.app.getPool().getSize()).isEqualTo(4);
			assertThat(this.app.getPool().getMaxWaiting()).isEqualTo(7);
			assertThat(this.app.getPool().getMaxRequests()).isEqualTo(1000);
		}

		@Test
		void warmUpBinds() {
			assertThat(this.app.getWarmUp().getRequests()).containsExactly("GET /", "GET /posts?limit=1");
			assertThat(this.app.getWarmUp().getRounds()).isEqualTo(5);
			assertThat(this.app.getWarmUp().getMaxDuration()).isEqualTo(Duration.ofMinutes(1));
		}

		@Test
		void sqlLimitsBind() {
			WsgiProperties properties = bind(Map.of("wsgi.sql.max-rows", "100", "wsgi.sql.fetch-size", "50"));
			assertThat(properties.getSql().getMaxRows()).isEqualTo(100);
			assertThat(properties.getSql().getFetchSize()).isEqualTo(50);
		}

		@Test
		void asgiSettingsBind() {
			assertThat(this.app.getRootPathInPath()).isFalse();
			assertThat(this.app.getPool().getMaxInFlight()).isEqualTo(32);
			assertThat(this.app.getWebsocket().getMaxMessageSize()).isEqualTo(DataSize.ofMegabytes(1));
		}

		@Test
		void compilationModeBindsFromItsName() {
			assertThat(bind(Map.of("wsgi.compilation-mode", "throughput")).getCompilationMode())
				.isEqualTo(CompilationMode.THROUGHPUT);
		}

		@Test
		void engineOptionsKeepTheirDottedNames() {
			WsgiProperties properties = bind(Map.of("wsgi.engine-options[engine.CompilerThreads]", "2",
					"wsgi.engine-options[python.IntMaxStrDigits]", "640"));
			assertThat(properties.getEngineOptions()).containsExactlyInAnyOrderEntriesOf(
					Map.of("engine.CompilerThreads", "2", "python.IntMaxStrDigits", "640"));
		}

	}

}
