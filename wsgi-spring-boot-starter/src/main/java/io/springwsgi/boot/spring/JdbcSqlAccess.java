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
 * is in, so SQL run from inside a {@code @Transactional} bean method belongs to it.
 */
public final class JdbcSqlAccess implements SqlAccess {

	private final JdbcTemplate jdbc;

	public JdbcSqlAccess(DataSource dataSource) {
		this.jdbc = new JdbcTemplate(dataSource);
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
