package io.springwsgi.core.python;

import java.util.List;

/**
 * What an app's Python code reaches of its host through {@code import spring}: the Java half of
 * the {@code spring} module. Values cross back to Python as JSON text, so Python receives
 * plain lists, dicts, strings and numbers that {@code json.dumps} accepts.
 */
public interface HostServices {

	/**
	 * The names of the host objects this app may use.
	 * @return the names
	 */
	List<String> beanNames();

	/**
	 * A host object this app may use.
	 * @param name its name
	 * @return the object
	 * @throws IllegalArgumentException if the app may not use an object of that name
	 */
	Object bean(String name);

	/**
	 * A Java value as JSON: lists, maps, records and JavaBeans become arrays and objects.
	 * @param value the value
	 * @return the JSON text
	 */
	String toJson(Object value);

	/**
	 * Run a query with bound parameters.
	 * @param sql the query, with {@code ?} placeholders
	 * @param parameters the values of the placeholders
	 * @return {@code {"columns": [...], "rows": [[...], ...]}} as JSON
	 */
	String query(String sql, Object[] parameters);

	/**
	 * Run a statement that changes data, with bound parameters.
	 * @param sql the statement, with {@code ?} placeholders
	 * @param parameters the values of the placeholders
	 * @return the number of rows changed
	 */
	int update(String sql, Object[] parameters);

	/**
	 * Make the request with this trace context the current one on the calling thread, for a
	 * call from Python into the host: what the call observes (its spans, its SQL) becomes part of
	 * the request's trace.
	 * @param traceparent the W3C {@code traceparent} of the request's span
	 * @return the scope, closed when the call returns; {@code null} when there is nothing to scope
	 */
	default AutoCloseable traceScope(String traceparent) {
		return null;
	}

	/** Host services for an app that may reach nothing of its host. */
	HostServices NONE = new HostServices() {

		@Override
		public List<String> beanNames() {
			return List.of();
		}

		@Override
		public Object bean(String name) {
			throw new IllegalArgumentException("this app may use no host objects");
		}

		@Override
		public String toJson(Object value) {
			throw new UnsupportedOperationException("this app has no JSON conversion of Java values");
		}

		@Override
		public String query(String sql, Object[] parameters) {
			throw new UnsupportedOperationException("this app has no database");
		}

		@Override
		public int update(String sql, Object[] parameters) {
			throw new UnsupportedOperationException("this app has no database");
		}

	};

}
