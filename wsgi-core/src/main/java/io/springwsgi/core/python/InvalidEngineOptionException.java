package io.springwsgi.core.python;

/**
 * An engine option set by name that the Engine would refuse: the message names the option and
 * what is wrong with it, {@link #reason()} tells a caller which setting to point the user to.
 */
public class InvalidEngineOptionException extends IllegalArgumentException {

	/** What is wrong with the option. */
	public enum Reason {

		/** Neither Truffle nor GraalPy has an option of that name on the optimizing runtime. */
		UNKNOWN,

		/** The option is experimental and experimental options are not allowed. */
		EXPERIMENTAL,

		/** The option refuses the value. */
		VALUE

	}

	private final String option;

	private final Reason reason;

	InvalidEngineOptionException(String option, Reason reason, String message) {
		super(message);
		this.option = option;
		this.reason = reason;
	}

	/**
	 * The option's name, {@code engine.FirstTierCompilationThreshold}.
	 * @return the name
	 */
	public String option() {
		return this.option;
	}

	/**
	 * What is wrong with it.
	 * @return the reason
	 */
	public Reason reason() {
		return this.reason;
	}

}
