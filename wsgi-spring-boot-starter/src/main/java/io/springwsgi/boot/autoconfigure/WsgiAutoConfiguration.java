package io.springwsgi.boot.autoconfigure;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.springwsgi.boot.apps.AppLoadingTrigger;
import io.springwsgi.boot.apps.AppReadinessGate;
import io.springwsgi.boot.apps.DebugReloader;
import io.springwsgi.boot.apps.HostedApp;
import io.springwsgi.boot.apps.HostedApps;
import io.springwsgi.boot.autoconfigure.WsgiProperties.App;
import io.springwsgi.boot.observation.TracedRequests;
import io.springwsgi.boot.spring.JdbcSqlAccess;
import io.springwsgi.boot.spring.SpringHostServices;
import io.springwsgi.boot.spring.SpringHostServices.SqlAccess;
import io.springwsgi.boot.web.AsgiHandlerFunction;
import io.springwsgi.boot.web.HostedAppFilter;
import io.springwsgi.boot.web.StartingAppHandlerFunction;
import io.springwsgi.boot.web.StrictHttpServerCustomizer;
import io.springwsgi.boot.web.WsgiHandlerFunction;
import io.springwsgi.core.python.HostServices;
import io.springwsgi.core.python.PythonEngine;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;

/**
 * Hosts the Python apps listed under {@code wsgi.apps} in the reactive web server: one shared
 * GraalPy engine, a pool of contexts per app, and one {@link RouterFunction} per app.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = Type.REACTIVE)
@EnableConfigurationProperties(WsgiProperties.class)
public final class WsgiAutoConfiguration {

	private static final String JDBC_TEMPLATE = "org.springframework.jdbc.core.JdbcTemplate";

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	PythonEngine pythonEngine(WsgiProperties properties) {
		WsgiProperties.BytecodeCache cache = properties.getBytecodeCache();
		Path directory = !cache.isEnabled() ? null
				: (cache.getDirectory() != null) ? cache.getDirectory() : PythonEngine.defaultBytecodeCache();
		return PythonEngine.create(PythonEngine.defaultHostAccess(), properties.isHostClassLookup(), directory);
	}

	@Bean
	@ConditionalOnMissingBean
	HostedApps hostedApps(PythonEngine engine, WsgiProperties properties, Environment environment,
			ConfigurableApplicationContext context, ObjectProvider<JsonMapper> jsonMapper,
			ObjectProvider<DataSource> dataSource, ObjectProvider<TracedRequests> tracedRequests) {
		// Looked up when Python first needs them: the apps start loading before such beans exist.
		Supplier<JsonMapper> json = SingletonSupplier.of(() -> jsonMapper.getIfAvailable(JsonMapper::new));
		boolean jdbc = ClassUtils.isPresent(JDBC_TEMPLATE, context.getClassLoader());
		Supplier<SqlAccess> sql = SingletonSupplier.ofNullable(() -> {
			DataSource database = jdbc ? dataSource.getIfAvailable() : null;
			return (database != null) ? new JdbcSqlAccess(database) : null;
		});
		Supplier<TracedRequests> traced = SingletonSupplier.ofNullable(tracedRequests::getIfAvailable);
		return new HostedApps(engine, properties, environment.getProperty("spring.webflux.base-path", ""),
				context.getClassLoader(), (index, app) -> hostServices(index, app, context, json, sql, traced));
	}

	private static HostServices hostServices(int index, App app, ConfigurableApplicationContext context,
			Supplier<JsonMapper> json, Supplier<SqlAccess> sql, Supplier<TracedRequests> traced) {
		for (int i = 0; i < app.getBeans().size(); i++) {
			String name = app.getBeans().get(i);
			if (!context.containsBean(name)) {
				throw new WsgiConfigurationException(HostedApps.property(index, "beans[" + i + "]"),
						"app '" + app.getName() + "' lists bean '" + name + "', but there is no bean of that name",
						"Name a bean of the application context, or remove it from the app's 'beans'.");
			}
		}
		return new SpringHostServices(app.getName(), app.getBeans(), context.getBeanFactory(), json,
				app.isSql() ? sql : () -> null, HostedApps.property(index, "sql"), traced);
	}

	@Bean
	@ConditionalOnProperty(name = "wsgi.strict-http", matchIfMissing = true)
	StrictHttpServerCustomizer wsgiStrictHttpServerCustomizer() {
		return new StrictHttpServerCustomizer();
	}

	@Bean
	static AppLoadingTrigger wsgiHostedAppsEarlyStart() {
		return new AppLoadingTrigger();
	}

	@Bean
	AppReadinessGate wsgiHostedAppsStartup(HostedApps hostedApps, ApplicationEventPublisher events) {
		return new AppReadinessGate(hostedApps, events);
	}

	@Bean
	MountPathGuard wsgiMountPathGuard(HostedApps hostedApps,
			ObjectProvider<RequestMappingHandlerMapping> handlerMappings) {
		return new MountPathGuard(hostedApps, handlerMappings);
	}

	@Bean
	DebugReloader wsgiDebugReloader(HostedApps hostedApps) {
		return new DebugReloader(hostedApps);
	}

	@Bean
	RouterFunction<ServerResponse> wsgiRouterFunction(HostedApps hostedApps, ObjectProvider<HostedAppFilter> filters) {
		List<HostedAppFilter> appFilters = filters.orderedStream().toList();
		RouterFunction<ServerResponse> routes = (request) -> Mono.empty();
		for (HostedApp app : hostedApps.apps()) {
			RouterFunction<ServerResponse> route = route(app);
			// filter() wraps what is there, so applying the last first leaves the first outermost.
			for (HostedAppFilter filter : appFilters.reversed()) {
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
	static RouterFunction<ServerResponse> route(HostedApp app) {
		String mount = app.mountPath();
		RequestPredicate predicate = mount.isEmpty() ? RequestPredicates.all()
				: RequestPredicates.path(mount).or(RequestPredicates.path(mount + "/**"));
		HandlerFunction<ServerResponse> handler = (app.settings().getProtocol() == WsgiProperties.Protocol.ASGI)
				? new AsgiHandlerFunction(app::asgiApplication) : new WsgiHandlerFunction(app::application);
		return RouterFunctions.route(predicate, new StartingAppHandlerFunction(app.name(), app::serving,
				app.settings().getPool().getAcquireTimeout(), handler, app.startupWaiters()));
	}

}
