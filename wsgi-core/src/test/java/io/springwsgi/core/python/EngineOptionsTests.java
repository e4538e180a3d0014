package io.springwsgi.core.python;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.graalvm.polyglot.Context;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class EngineOptionsTests {

	private static final String FIRST_TIER_THRESHOLD = "engine.FirstTierCompilationThreshold";

	@BeforeAll
	static void compiled() {
		try (PythonEngine engine = PythonEngine.create()) {
			assumeTrue(engine.isCompiled(), "GraalPy runs interpreter-only on this JDK: no compilation options");
		}
	}

	private static PythonEngine create(Map<String, String> options, boolean allowExperimental) {
		return PythonEngine.create(PythonEngine.defaultHostAccess(), false, null,
				new EngineOptions(CompilationMode.LATENCY, options, allowExperimental, true));
	}

	@Test
	void anExperimentalOptionIsRefusedUnlessExperimentalOptionsAreAllowed() {
		assertThatExceptionOfType(InvalidEngineOptionException.class)
			.isThrownBy(() -> create(Map.of(FIRST_TIER_THRESHOLD, "100"), false))
			.satisfies((ex) -> {
				assertThat(ex.option()).isEqualTo(FIRST_TIER_THRESHOLD);
				assertThat(ex.reason()).isEqualTo(InvalidEngineOptionException.Reason.EXPERIMENTAL);
			})
			.withMessageContaining("'" + FIRST_TIER_THRESHOLD + "' is experimental");
	}

	@Test
	void allowedExperimentalOptionsReachTheEngine(@TempDir Path directory) throws IOException {
		// Compilation details are traced only when the experimental option is set: the trace of a
		// function called past the threshold shows that the options reached the Engine.
		Path trace = directory.resolve("trace.log");
		Map<String, String> options = Map.of(FIRST_TIER_THRESHOLD, "10", "engine.TraceCompilationDetails", "true",
				"log.file", trace.toString());
		try (PythonEngine engine = create(options, true);
				Context context = Context.newBuilder("python").engine(engine.engine()).build()) {
			context.eval("python", "def traced_function(n):\n    return n + 1\nfor i in range(30): traced_function(i)");
		}
		assertThat(Files.readString(trace)).containsPattern("opt queued .*traced_function");
	}

	@Test
	void aGraalPyOptionReachesEveryContext() {
		try (PythonEngine engine = create(Map.of("python.IntMaxStrDigits", "1234"), false);
				Context context = Context.newBuilder("python").engine(engine.engine()).build()) {
			assertThat(context.eval("python", "import sys; sys.get_int_max_str_digits()").asInt()).isEqualTo(1234);
		}
	}

	@Test
	void anOptionNeitherTruffleNorGraalPyHasIsNamed() {
		assertThatExceptionOfType(InvalidEngineOptionException.class)
			.isThrownBy(() -> create(Map.of("engine.FirstTierThreshold", "100"), true))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(InvalidEngineOptionException.Reason.UNKNOWN))
			.withMessage("GraalPy's engine has no option 'engine.FirstTierThreshold'");
	}

	@Test
	void aValueTheOptionRefusesIsNamed() {
		assertThatExceptionOfType(InvalidEngineOptionException.class)
			.isThrownBy(() -> create(Map.of("engine.CompilerThreads", "two"), false))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(InvalidEngineOptionException.Reason.VALUE))
			.withMessageStartingWith("engine option 'engine.CompilerThreads' cannot be 'two'");
	}

}
