package io.springwsgi.boot.autoconfigure;

import java.nio.file.Path;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.springwsgi.boot.apps.AppReadinessGate;
import io.springwsgi.boot.apps.DebugReloader;
import io.springwsgi.boot.apps.HostedApps;
import io.springwsgi.boot.apps.WsgiConfigurationException;
import io.springwsgi.boot.autoconfigure.WsgiProperties.App;
import io.springwsgi.boot.observation.TracedRequests;
import io.springwsgi.boot.spring.JdbcSqlAccess;
import io.springwsgi.boot.spring.SpringHostServices;
import io.springwsgi.boot.spring.SpringHostServices.SqlAccess;
import io.springwsgi.boot.web.HostedAppFilter;
import io.springwsgi.boot.web.HostedAppRoutes;
import io.springwsgi.boot.web.StrictHttpServerCustomizer;
import io.springwsgi.core.python.ContextBuilderCustomizer;
import io.springwsgi.core.python.EngineOptions;
import io.springwsgi.core.python.HostServices;
import io.springwsgi.core.python.InvalidEngineOptionException;
import io.springwsgi.core.python.PythonEngine;
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
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.reactive.function.server.RouterFunction;
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
	PythonEngine pythonEngine(WsgiProperties properties, ObjectProvider<ContextBuilderCustomizer> customizers) {
		WsgiProperties.BytecodeCache cache = properties.getBytecodeCache();
		Path directory = !cache.isEnabled() ? null
				: (cache.getDirectory() != null) ? cache.getDirectory() : PythonEngine.defaultBytecodeCache();
		EngineOptions options = new EngineOptions(properties.getCompilationMode(), properties.getEngineOptions(),
				properties.isAllowExperimentalEngineOptions(), properties.isCompilersFirst());
		PythonEngine engine;
		try {
			engine = PythonEngine.create(PythonEngine.defaultHostAccess(), properties.isHostClassLookup(), directory,
					options);
		}
		catch (InvalidEngineOptionException ex) {
			throw new WsgiConfigurationException("wsgi.engine-options[" + ex.option() + "]", ex.getMessage(),
					switch (ex.reason()) {
						case UNKNOWN -> "Correct the option's name (Truffle's start with engine. or compiler., "
								+ "GraalPy's with python.) or remove it.";
						case EXPERIMENTAL -> "Set wsgi.allow-experimental-engine-options=true to use experimental "
								+ "options, or remove it.";
						case VALUE -> "Give the option a value it takes, or remove it.";
					}, ex);
		}
		customizers.orderedStream().forEach(engine::addContextCustomizer);
		return engine;
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
			return (database != null)
					? new JdbcSqlAccess(database, properties.getSql().getMaxRows(), properties.getSql().getFetchSize())
					: null;
		});
		Supplier<TracedRequests> traced = SingletonSupplier.ofNullable(tracedRequests::getIfAvailable);
		HostedAppsFactory factory = new HostedAppsFactory(engine, environment.getProperty("spring.webflux.base-path", ""),
				context.getClassLoader(), (index, app) -> hostServices(index, app, context, json, sql, traced));
		return new HostedApps(factory.create(properties), properties.getShutdownTimeout());
	}

	private static HostServices hostServices(int index, App app, ConfigurableApplicationContext context,
			Supplier<JsonMapper> json, Supplier<SqlAccess> sql, Supplier<TracedRequests> traced) {
		for (int i = 0; i < app.getBeans().size(); i++) {
			String name = app.getBeans().get(i);
			if (!context.containsBean(name)) {
				throw new WsgiConfigurationException(HostedAppsFactory.property(index, "beans[" + i + "]"),
						"app '" + app.getName() + "' lists bean '" + name + "', but there is no bean of that name",
						"Name a bean of the application context, or remove it from the app's 'beans'.");
			}
		}
		return new SpringHostServices(app.getName(), app.getBeans(), context.getBeanFactory(), json,
				app.isSql() ? sql : () -> null, HostedAppsFactory.property(index, "sql"), traced);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(name = "wsgi.strict-http", matchIfMissing = true)
	StrictHttpServerCustomizer wsgiStrictHttpServerCustomizer() {
		return new StrictHttpServerCustomizer();
	}

	@Bean
	@ConditionalOnProperty(name = "wsgi.compilers-first", matchIfMissing = true)
	CompilersFirstTrigger wsgiCompilersFirst(HostedApps hostedApps) {
		return new CompilersFirstTrigger(hostedApps);
	}

	@Bean
	static AppLoadingTrigger wsgiAppLoadingTrigger() {
		return new AppLoadingTrigger();
	}

	@Bean
	@ConditionalOnMissingBean
	AppReadinessGate wsgiAppReadinessGate(HostedApps hostedApps, ApplicationEventPublisher events) {
		return new AppReadinessGate(hostedApps, events);
	}

	@Bean
	@ConditionalOnMissingBean
	MountPathGuard wsgiMountPathGuard(HostedApps hostedApps,
			ObjectProvider<RequestMappingHandlerMapping> handlerMappings) {
		return new MountPathGuard(hostedApps, handlerMappings);
	}

	@Bean
	@ConditionalOnMissingBean
	@Conditional(OnDebugAppCondition.class)
	DebugReloader wsgiDebugReloader(HostedApps hostedApps) {
		return new DebugReloader(hostedApps);
	}

	@Bean
	@ConditionalOnMissingBean(name = "wsgiRouterFunction")
	RouterFunction<ServerResponse> wsgiRouterFunction(HostedApps hostedApps, ObjectProvider<HostedAppFilter> filters) {
		return HostedAppRoutes.of(hostedApps.apps(), filters.orderedStream().toList());
	}

}
