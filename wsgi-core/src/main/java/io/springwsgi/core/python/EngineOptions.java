package io.springwsgi.core.python;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Supplier;

import org.graalvm.options.OptionDescriptor;
import org.graalvm.options.OptionStability;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Language;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the shared Engine is built: its {@linkplain CompilationMode compilation mode} and any
 * Truffle ({@code engine.*}, {@code compiler.*}) or GraalPy ({@code python.*}) option set by
 * name, each checked against the runtime in use before the Engine is built. Truffle's
 * compilation thresholds and tiers are experimental options: the Engine takes them only with
 * {@code allowExperimental}, which the start-up log then names, so that nobody runs them by
 * accident. Options that only the optimizing runtime has are left out, with a warning, where
 * Python is interpreted only.
 *
 * @param mode how the JIT compiles Python, where it runs
 * @param options option values by name, applied after the mode: an {@code engine.Mode} here wins over
 * the mode and over {@code -Dpolyglot.engine.Mode}
 * @param allowExperimental whether options Truffle or GraalPy mark experimental are accepted
 * @param keepCompilerThreads whether Truffle keeps its compiler threads when they are idle
 * rather than ending them and starting new ones later: {@link CompilersFirst} needs them to keep
 * the nice value of the thread that started them
 */
public record EngineOptions(CompilationMode mode, Map<String, String> options, boolean allowExperimental,
		boolean keepCompilerThreads) {

	/** Latency mode, compiler threads kept, no other option. */
	public static final EngineOptions DEFAULT = new EngineOptions(CompilationMode.LATENCY, Map.of(), false, true);

	private static final Logger logger = LoggerFactory.getLogger(EngineOptions.class);

	/** What the user may set on the command line; it wins over the configured mode. */
	private static final String MODE_PROPERTY = "polyglot.engine.Mode";

	private static final String MODE_OPTION = "engine.Mode";

	/** Milliseconds an idle Truffle compiler thread waits for work before it ends; 0 for ever. */
	private static final String COMPILER_IDLE_DELAY = "engine.CompilerIdleDelay";

	/** Polyglot's logging options ({@code log.file}, {@code log.<logger>.level}), known to no descriptor. */
	private static final String LOG_OPTIONS = "log.";

	private static final String INTERPRETER_ONLY = "Interpreted";

	public EngineOptions {
		options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
	}

	/**
	 * Build the Engine: look up what the runtime in use offers on an Engine of its own, then
	 * build one with the mode, where the runtime compiles, and the options it has.
	 * @param builder a builder of the Engine with the library's own options set
	 * @return the Engine
	 * @throws InvalidEngineOptionException if an option does not exist on the optimizing runtime,
	 * is experimental while {@code allowExperimental} is off, or has a value it refuses
	 */
	Engine build(Supplier<Engine.Builder> builder) {
		Map<String, String> applied = new LinkedHashMap<>();
		try (Engine probe = builder.get().useSystemProperties(false).build()) {
			boolean compiled = !INTERPRETER_ONLY.equals(probe.getImplementationName());
			if (compiled && this.mode != CompilationMode.DEFAULT && System.getProperty(MODE_PROPERTY) == null) {
				applied.put(MODE_OPTION, this.mode.option());
			}
			if (compiled && this.keepCompilerThreads) {
				applied.put(COMPILER_IDLE_DELAY, "0");
			}
			this.options.forEach((name, value) -> {
				if (check(probe, compiled, name, value)) {
					applied.put(name, value);
				}
			});
		}
		// engine.CompilerIdleDelay is experimental; the user's own options were checked above.
		Engine.Builder engine = builder.get()
			.allowExperimentalOptions(this.allowExperimental || applied.containsKey(COMPILER_IDLE_DELAY));
		applied.forEach(engine::option);
		return engine.build();
	}

	private boolean check(Engine probe, boolean compiled, String name, String value) {
		if (name.startsWith(LOG_OPTIONS)) {
			return true;
		}
		OptionDescriptor descriptor = descriptor(probe, name);
		if (descriptor == null && !compiled) {
			logger.warn("GraalPy runs Python interpreter-only, which has no engine option '{}': it is left out", name);
			return false;
		}
		if (descriptor == null) {
			throw new InvalidEngineOptionException(name, InvalidEngineOptionException.Reason.UNKNOWN,
					"GraalPy's engine has no option '" + name + "'");
		}
		if (descriptor.getStability() == OptionStability.EXPERIMENTAL && !this.allowExperimental) {
			throw new InvalidEngineOptionException(name, InvalidEngineOptionException.Reason.EXPERIMENTAL,
					"engine option '" + name + "' is experimental: GraalPy may change or drop it in any release");
		}
		try {
			descriptor.getKey().getType().convert(value);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidEngineOptionException(name, InvalidEngineOptionException.Reason.VALUE,
					"engine option '" + name + "' cannot be '" + value + "': " + ex.getMessage());
		}
		if (descriptor.isDeprecated()) {
			logger.warn("Engine option '{}' is deprecated: {}", name, descriptor.getDeprecationMessage());
		}
		return true;
	}

	private static OptionDescriptor descriptor(Engine probe, String name) {
		OptionDescriptor descriptor = probe.getOptions().get(name);
		if (descriptor == null) {
			Language python = probe.getLanguages().get("python");
			descriptor = (python != null) ? python.getOptions().get(name) : null;
		}
		return descriptor;
	}

	/**
	 * The mode an Engine built by {@link #build} runs in, and the options set on it, for the
	 * start-up log.
	 * @return {@code latency}, say, or {@code default (-Dpolyglot.engine.Mode); engine options ...}
	 */
	String describe() {
		String chosen = System.getProperty(MODE_PROPERTY);
		String mode = this.options.containsKey(MODE_OPTION) ? this.options.get(MODE_OPTION) + " (engine options)"
				: (chosen != null) ? chosen + " (-D" + MODE_PROPERTY + ")" : this.mode.option();
		if (this.options.isEmpty()) {
			return mode;
		}
		StringJoiner set = new StringJoiner(", ", "; engine options ",
				this.allowExperimental ? " (experimental options allowed)" : "");
		this.options.forEach((name, value) -> set.add(name + "=" + value));
		return mode + set;
	}

}
