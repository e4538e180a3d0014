package io.springwsgi.core.python;

import java.util.Locale;

/**
 * How the shared Engine compiles Python: Truffle's {@code engine.Mode}, an option of the
 * optimizing runtime only. {@link #LATENCY} is the default: it makes each compilation cheaper,
 * and a server on a stock JDK, where Graal itself runs as bytecode that C2 compiles first, spends
 * its first minutes waiting for the compiler (measured in docs/performance.md: the sample served
 * Flask's JSON at 8.8k instead of 4.2k req/s seven minutes after launch, Django's at 6.3k
 * instead of 3.6k). {@link EngineOptions} sets it where the JIT runs; the fallback runtime has no
 * modes.
 */
public enum CompilationMode {

	/** Cheaper compilations, for a service that must settle fast. */
	LATENCY,

	/** Truffle's own default, which balances warm-up and peak performance. */
	DEFAULT,

	/** The most optimized code, for long-running work that can wait for it. */
	THROUGHPUT;

	/**
	 * The mode as Truffle's {@code engine.Mode} takes it.
	 * @return {@code latency}, {@code default} or {@code throughput}
	 */
	String option() {
		return name().toLowerCase(Locale.ROOT);
	}

}
