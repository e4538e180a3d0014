package io.springwsgi.boot.spring;

import java.sql.Array;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import io.springwsgi.boot.spring.SpringHostServices.QueryResult;
import io.springwsgi.boot.spring.SpringHostServices.SqlAccess;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code spring.sql()} on a {@link JdbcTemplate}: it joins the transaction the calling thread
 * is in, so SQL run from inside a {@code @Transactional} bean method belongs to it. A query
 * returns at most {@code maxRows} rows, read {@code fetchSize} at a time where the driver
 * streams (PostgreSQL's does inside a transaction only); one that has more fails.
 */
public final class JdbcSqlAccess implements SqlAccess {

	private final JdbcTemplate jdbc;

	private final int maxRows;

	/**
	 * Create the access.
	 * @param dataSource the application's database
	 * @param maxRows the most rows a query may return
	 * @param fetchSize the rows the driver fetches at a time
	 */
	public JdbcSqlAccess(DataSource dataSource, int maxRows, int fetchSize) {
		this.jdbc = new JdbcTemplate(dataSource);
		// One row past the cap tells the query went past it; the database stops there.
		this.jdbc.setMaxRows(maxRows + 1);
		this.jdbc.setFetchSize(fetchSize);
		this.maxRows = maxRows;
	}

	@Override
	public QueryResult query(String sql, Object[] parameters) {
		return this.jdbc.query(sql, (resultSet) -> {
			ResultSetMetaData meta = resultSet.getMetaData();
			List<String> columns = new ArrayList<>(meta.getColumnCount());
			for (int i = 1; i <= meta.getColumnCount(); i++) {
				columns.add(meta.getColumnLabel(i));
			}
			List<List<Object>> rows = new ArrayList<>();
			while (resultSet.next()) {
				if (rows.size() == this.maxRows) {
					throw new IllegalStateException("the query returned more than " + this.maxRows
							+ " rows (wsgi.sql.max-rows); add a LIMIT or raise the limit");
				}
				List<Object> row = new ArrayList<>(columns.size());
				for (int i = 1; i <= columns.size(); i++) {
					row.add(plain(resultSet.getObject(i)));
				}
				rows.add(row);
			}
			return new QueryResult(columns, rows);
		}, parameters);
	}

	/**
	 * A column value JSON can carry: driver types (PostgreSQL's {@code PGobject}, arrays,
	 * {@code java.sql} dates) become lists, {@code java.time} values or their text.
	 */
	private static Object plain(Object value) throws SQLException {
		if (value == null || value instanceof Number || value instanceof String || value instanceof Boolean
				|| value instanceof TemporalAccessor || value instanceof UUID) {
			return value;
		}
		if (value instanceof Timestamp timestamp) {
			return timestamp.toLocalDateTime();
		}
		if (value instanceof java.sql.Date date) {
			return date.toLocalDate();
		}
		if (value instanceof Time time) {
			return time.toLocalTime();
		}
		if (value instanceof Array array) {
			List<Object> elements = new ArrayList<>();
			for (Object element : (Object[]) array.getArray()) {
				elements.add(plain(element));
			}
			return elements;
		}
		return value.toString();
	}

	@Override
	public int update(String sql, Object[] parameters) {
		return this.jdbc.update(sql, parameters);
	}

}
