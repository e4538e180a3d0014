package io.springwsgi.core.python;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.graalvm.polyglot.HostAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The Java end of Python's {@code logging} in an app's contexts: a record of Python logger
 * {@code werkzeug} in app {@code flask} goes to SLF4J logger {@code io.springwsgi.app.flask.werkzeug},
 * so Spring's {@code logging.level.*} settings and log files apply to Python too. A record logged
 * while a traced request was served carries that request's trace and span ids in the MDC, under
 * {@code traceId} and {@code spanId} as Micrometer Tracing puts them for Java code.
 */
public final class PythonLogSink {

	private static final int DEBUG = 10;

	private static final int INFO = 20;

	private static final int WARNING = 30;

	private static final int ERROR = 40;

	private static final String TRACE_ID = "traceId";

	private static final String SPAN_ID = "spanId";

	private final Logger appLogger;

	private final Map<String, Logger> loggers = new ConcurrentHashMap<>();

	PythonLogSink(Logger appLogger) {
		this.appLogger = appLogger;
	}

	/**
	 * The Python level matching what the app's logger lets through, so that records no one
	 * would see are dropped before they cross into Java.
	 * @return a Python logging level
	 */
	int pythonLevel() {
		if (this.appLogger.isDebugEnabled()) {
			return this.appLogger.isTraceEnabled() ? 1 : DEBUG;
		}
		if (this.appLogger.isInfoEnabled()) {
			return INFO;
		}
		return this.appLogger.isWarnEnabled() ? WARNING : ERROR;
	}

	/**
	 * Log one Python record.
	 * @param level the Python level number
	 * @param name the Python logger's name
	 * @param message the formatted record, with its traceback if it has one
	 * @param traceparent the W3C {@code traceparent} of the request that logged it, or
	 * {@code null}
	 */
	@HostAccess.Export
	public void log(int level, String name, String message, String traceparent) {
		// W3C Trace Context 3.2: version "-" trace-id (32 hex) "-" parent-id (16 hex) "-" flags.
		if (traceparent == null || traceparent.length() < 55) {
			log(level, name, message);
			return;
		}
		String traceId = MDC.get(TRACE_ID);
		String spanId = MDC.get(SPAN_ID);
		MDC.put(TRACE_ID, traceparent.substring(3, 35));
		MDC.put(SPAN_ID, traceparent.substring(36, 52));
		try {
			log(level, name, message);
		}
		finally {
			restore(TRACE_ID, traceId);
			restore(SPAN_ID, spanId);
		}
	}

	private static void restore(String key, String value) {
		if (value != null) {
			MDC.put(key, value);
		}
		else {
			MDC.remove(key);
		}
	}

	private void log(int level, String name, String message) {
		Logger logger = "root".equals(name) ? this.appLogger
				: this.loggers.computeIfAbsent(name, (key) -> LoggerFactory.getLogger(this.appLogger.getName() + "." + key));
		if (level >= ERROR) {
			logger.error("{}", message);
		}
		else if (level >= WARNING) {
			logger.warn("{}", message);
		}
		else if (level >= INFO) {
			logger.info("{}", message);
		}
		else if (level >= DEBUG) {
			logger.debug("{}", message);
		}
		else {
			logger.trace("{}", message);
		}
	}

}
