package io.springwsgi.core.python;

import java.util.Locale;

import org.graalvm.polyglot.Engine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the shared Engine compiles Python: Truffle's {@code engine.Mode}, an option of the
 * optimizing runtime only. {@link #LATENCY} is the default: it makes each compilation cheaper,
 * and a server on a stock JDK, where Graal itself runs as bytecode that C2 compiles first, spends
 * its first minutes waiting for the compiler (measured in docs/performance.md: the sample served
 * Flask's JSON at 8.8k instead of 4.2k req/s seven minutes after launch, Django's at 6.3k
 * instead of 3.6k).
 */
public enum CompilationMode {

	/** Cheaper compilations, for a service that must settle fast. */
	LATENCY,

	/** Truffle's own default, which balances warm-up and peak performance. */
	DEFAULT,

	/** The most optimized code, for long-running work that can wait for it. */
	THROUGHPUT;

	private static final Logger logger = LoggerFactory.getLogger(CompilationMode.class);

	/** What the user may set on the command line; it wins over the configured mode. */
	private static final String SYSTEM_PROPERTY = "polyglot.engine.Mode";

	private String option() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Build the shared Engine in this mode, unless {@code -Dpolyglot.engine.Mode} chooses one;
	 * on the fallback runtime, which has no modes and refuses the option, without it.
	 * @param builder the Engine's builder, with its other options set
	 * @param fallback a builder of the same Engine, used if the runtime refuses the mode
	 * @return the Engine
	 */
	Engine build(Engine.Builder builder, Engine.Builder fallback) {
		if (this == DEFAULT || System.getProperty(SYSTEM_PROPERTY) != null) {
			return builder.build();
		}
		try {
			return builder.option("engine.Mode", option()).build();
		}
		catch (IllegalArgumentException ex) {
			logger.debug("The Truffle runtime has no compilation modes (interpreter-only); {} is not set", this, ex);
			return fallback.build();
		}
	}

	/**
	 * The mode an Engine built by {@link #build} runs in, for the start-up log.
	 * @return the mode's option value, as {@code engine.Mode} takes it
	 */
	String effective() {
		String chosen = System.getProperty(SYSTEM_PROPERTY);
		return (chosen != null) ? chosen + " (-D" + SYSTEM_PROPERTY + ")" : option();
	}

}
