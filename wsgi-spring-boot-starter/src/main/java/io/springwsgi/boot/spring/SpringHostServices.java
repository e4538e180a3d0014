package io.springwsgi.boot.spring;

import java.util.List;
import java.util.function.Supplier;

import io.springwsgi.boot.observation.TracedRequests;
import io.springwsgi.core.python.HostServices;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.BeanFactory;

/**
 * The Java half of {@code import spring} for one app: the beans listed under its {@code beans},
 * Spring's JSON mapper for conversions, and SQL through the application's {@code DataSource}.
 * The mapper and the {@code DataSource} are looked up on first use: the apps start loading
 * while the application context is still creating such beans.
 */
public final class SpringHostServices implements HostServices {

	private final String appName;

	private final List<String> beanNames;

	private final BeanFactory beanFactory;

	private final Supplier<JsonMapper> jsonMapper;

	private final Supplier<SqlAccess> sql;

	private final String sqlProperty;

	private final Supplier<TracedRequests> tracedRequests;

	/**
	 * Create the services.
	 * @param appName the app's name
	 * @param beanNames the beans it may use
	 * @param beanFactory where the beans are
	 * @param jsonMapper Spring's JSON mapper
	 * @param sql SQL access, supplying {@code null} when the app may not run SQL (or has no
	 * database)
	 * @param sqlProperty the property that grants the app SQL, for the error message
	 * @param tracedRequests the observations of the requests in flight, by their trace context
	 */
	public SpringHostServices(String appName, List<String> beanNames, BeanFactory beanFactory,
			Supplier<JsonMapper> jsonMapper, Supplier<SqlAccess> sql, String sqlProperty,
			Supplier<TracedRequests> tracedRequests) {
		this.appName = appName;
		this.beanNames = List.copyOf(beanNames);
		this.beanFactory = beanFactory;
		this.jsonMapper = jsonMapper;
		this.sql = sql;
		this.sqlProperty = sqlProperty;
		this.tracedRequests = tracedRequests;
	}

	@Override
	public List<String> beanNames() {
		return this.beanNames;
	}

	@Override
	public Object bean(String name) {
		if (!this.beanNames.contains(name)) {
			throw new IllegalArgumentException(
					"app '" + this.appName + "' may not use bean '" + name + "'; list it under its 'beans'");
		}
		return BeanView.of(this.beanFactory.getBean(name));
	}

	@Override
	public String toJson(Object value) {
		return this.jsonMapper.get().writeValueAsString(value);
	}

	@Override
	public String query(String sql, Object[] parameters) {
		return toJson(sqlAccess().query(sql, parameters));
	}

	@Override
	public int update(String sql, Object[] parameters) {
		return sqlAccess().update(sql, parameters);
	}

	@Override
	public AutoCloseable traceScope(String traceparent) {
		TracedRequests requests = this.tracedRequests.get();
		return (requests != null) ? requests.open(traceparent) : null;
	}

	private SqlAccess sqlAccess() {
		SqlAccess access = this.sql.get();
		if (access == null) {
			throw new IllegalStateException("app '" + this.appName + "' may not run SQL: set " + this.sqlProperty
					+ " to true (spring.sql() also needs spring-jdbc on the class path and a DataSource bean)");
		}
		return access;
	}

	/**
	 * SQL through the application's {@code DataSource}; kept apart so that spring-jdbc stays
	 * optional.
	 */
	public interface SqlAccess {

		/**
		 * Run a query.
		 * @param sql the query
		 * @param parameters bound parameters
		 * @return the column labels and the rows
		 */
		QueryResult query(String sql, Object[] parameters);

		/**
		 * Run a statement.
		 * @param sql the statement
		 * @param parameters bound parameters
		 * @return rows changed
		 */
		int update(String sql, Object[] parameters);

	}

	/**
	 * A query's result as Python's side reads it.
	 *
	 * @param columns the column labels
	 * @param rows the rows, values in column order
	 */
	public record QueryResult(List<String> columns, List<List<Object>> rows) {
	}

}
