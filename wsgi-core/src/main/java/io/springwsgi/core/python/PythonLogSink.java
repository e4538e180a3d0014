package io.springwsgi.core.python;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.graalvm.polyglot.HostAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java end of Python's {@code logging} in an app's contexts: a record of Python logger
 * {@code werkzeug} in app {@code flask} goes to SLF4J logger {@code io.springwsgi.app.flask.werkzeug},
 * so Spring's {@code logging.level.*} settings and log files apply to Python too.
 */
public final class PythonLogSink {

	private static final int DEBUG = 10;

	private static final int INFO = 20;

	private static final int WARNING = 30;

	private static final int ERROR = 40;

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
	 */
	@HostAccess.Export
	public void log(int level, String name, String message) {
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
