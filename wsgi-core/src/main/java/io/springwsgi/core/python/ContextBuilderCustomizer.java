package io.springwsgi.core.python;

import org.graalvm.polyglot.Context;

/**
 * Adds to what every context of every app is built with, such as GraalPy options
 * ({@code python.WarnExperimentalFeatures}) or a tighter I/O policy: applied after the
 * engine's own settings, just before the context is built.
 */
@FunctionalInterface
public interface ContextBuilderCustomizer {

	/**
	 * Customize a context's builder.
	 * @param builder the builder, already set up for its app
	 */
	void customize(Context.Builder builder);

}
