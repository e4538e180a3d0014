package io.springwsgi.core.python;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.springwsgi.core.http.Requests;
import io.springwsgi.core.pool.PoolConfig;
import io.springwsgi.core.wsgi.TestApps;
import io.springwsgi.core.wsgi.WsgiApplication;
import io.springwsgi.core.wsgi.WsgiOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static io.springwsgi.core.wsgi.TestApps.exchange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Everything a Python app writes reaches SLF4J under {@code io.springwsgi.app.<name>}, so
 * Spring's logging configuration covers it.
 */
class PythonOutputLoggingTests {

	private final Logger appLogger = (Logger) LoggerFactory.getLogger("io.springwsgi.app.logging");

	private final ListAppender<ILoggingEvent> events = new ListAppender<>();

	@BeforeEach
	void capture() {
		this.events.start();
		this.appLogger.addAppender(this.events);
	}

	@AfterEach
	void release() {
		this.appLogger.detachAppender(this.events);
	}

	@Test
	void printStderrLoggingAndWsgiErrorsGoToTheAppsLoggers() {
		WsgiApplication app = TestApps.shared("logging", "logging_app", PoolConfig.ofSize(1), WsgiOptions.mountedAt(""));
		assertThat(exchange(app, Requests.get("/").build()).status).isEqualTo(204);
		List<ILoggingEvent> logged = List.copyOf(this.events.list);
		assertThat(logged).extracting(ILoggingEvent::getLoggerName, ILoggingEvent::getLevel,
				ILoggingEvent::getFormattedMessage)
			.contains(tuple("io.springwsgi.app.logging", Level.INFO, "printed to stdout"),
					tuple("io.springwsgi.app.logging", Level.WARN, "printed to stderr"),
					tuple("io.springwsgi.app.logging.shop.views", Level.INFO, "an info record with arguments"),
					tuple("io.springwsgi.app.logging", Level.ERROR, "written to wsgi.errors"));
		assertThat(logged).extracting(ILoggingEvent::getFormattedMessage)
			.noneMatch((message) -> message.contains("nobody asked for"))
			.anyMatch((message) -> message.startsWith("an error with its traceback")
					&& message.contains("KeyError: 'inside a handler'"));
	}

}
