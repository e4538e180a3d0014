package io.springwsgi.core.python;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CompilationModeTests {

	@Test
	void theEngineCompilesForLatencyUnlessToldOtherwise() {
		List<String> log = startUpLog(PythonEngine::create);
		assertThat(log).anySatisfy((line) -> assertThat(line).contains("compilation mode latency"));
	}

	@Test
	void theConfiguredModeIsTheEnginesOption() {
		List<String> log = startUpLog(() -> PythonEngine.create(PythonEngine.defaultHostAccess(), false, null,
				new EngineOptions(CompilationMode.THROUGHPUT, Map.of(), false, true)));
		assertThat(log).anySatisfy((line) -> assertThat(line).contains("compilation mode throughput"));
	}

	@Test
	void aModeChosenOnTheCommandLineWins() {
		System.setProperty("polyglot.engine.Mode", "default");
		try {
			List<String> log = startUpLog(PythonEngine::create);
			assertThat(log)
				.anySatisfy((line) -> assertThat(line).contains("compilation mode default (-Dpolyglot.engine.Mode)"));
		}
		finally {
			System.clearProperty("polyglot.engine.Mode");
		}
	}

	@Test
	void anEngineModeAmongTheEngineOptionsWinsAndTheLogSaysWhichOptionsAreSet() {
		List<String> log = startUpLog(() -> PythonEngine.create(PythonEngine.defaultHostAccess(), false, null,
				new EngineOptions(CompilationMode.LATENCY, Map.of("engine.Mode", "throughput"), true, true)));
		assertThat(log).anySatisfy((line) -> assertThat(line).contains(
				"compilation mode throughput (engine options); engine options engine.Mode=throughput "
						+ "(experimental options allowed)"));
	}

	/** The lines PythonEngine logs as it starts; only the optimizing runtime (JDK 25) has modes. */
	private static List<String> startUpLog(Supplier<PythonEngine> create) {
		Logger logger = (Logger) LoggerFactory.getLogger(PythonEngine.class);
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		logger.addAppender(appender);
		try (PythonEngine engine = create.get()) {
			assumeTrue(engine.isCompiled(), "GraalPy runs interpreter-only on this JDK: no compilation modes");
		}
		finally {
			logger.detachAppender(appender);
		}
		return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
	}

}
