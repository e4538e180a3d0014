package io.springwsgi.core.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to load into each context of an app: the IRIS "application" of a WSGI or ASGI app.
 *
 * @param name unique name, used in logs, metrics and errors
 * @param directory the app's directory, prepended to {@code sys.path}
 * @param module the module to import, dotted names allowed ({@code mysite.wsgi})
 * @param callable the name of the WSGI or ASGI callable in that module
 * @param pythonPath further {@code sys.path} entries, after the directory
 * @param environment variables of the app's {@code os.environ}
 * @param access what the app's Python code may reach of the JVM beyond its {@code spring} module
 */
public record PythonApp(String name, Path directory, String module, String callable, List<Path> pythonPath,
		Map<String, String> environment, Access access) {

	public PythonApp {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(directory, "directory");
		Objects.requireNonNull(module, "module");
		Objects.requireNonNull(callable, "callable");
		pythonPath = List.copyOf(pythonPath);
		environment = Map.copyOf(environment);
		Objects.requireNonNull(access, "access");
	}

	/**
	 * An app that may reach nothing of the JVM beyond its {@code spring} module.
	 * @param name unique name
	 * @param directory the app's directory
	 * @param module the module to import
	 * @param callable the callable's name in that module
	 * @param pythonPath further {@code sys.path} entries
	 * @param environment variables of the app's {@code os.environ}, all it sees
	 */
	public PythonApp(String name, Path directory, String module, String callable, List<Path> pythonPath,
			Map<String, String> environment) {
		this(name, directory, module, callable, pythonPath, environment, Access.NONE);
	}

	/**
	 * An app with no extra python path entries and no extra environment.
	 * @param name unique name
	 * @param directory the app's directory
	 * @param module the module to import
	 * @param callable the callable's name in that module
	 * @return the app
	 */
	public static PythonApp of(String name, Path directory, String module, String callable) {
		return new PythonApp(name, directory, module, callable, List.of(), Map.of());
	}

	/**
	 * This app with extra {@code sys.path} entries.
	 * @param entries the entries, in order
	 * @return a copy with these entries
	 */
	public PythonApp withPythonPath(List<Path> entries) {
		return new PythonApp(this.name, this.directory, this.module, this.callable, entries, this.environment,
				this.access);
	}

	/**
	 * This app with extra environment variables.
	 * @param variables the variables
	 * @return a copy with these variables
	 */
	public PythonApp withEnvironment(Map<String, String> variables) {
		return new PythonApp(this.name, this.directory, this.module, this.callable, this.pythonPath, variables,
				this.access);
	}

	/**
	 * This app with other access to the JVM.
	 * @param access what the app may reach
	 * @return a copy with this access
	 */
	public PythonApp withAccess(Access access) {
		return new PythonApp(this.name, this.directory, this.module, this.callable, this.pythonPath,
				this.environment, access);
	}

	/**
	 * What an app's Python code may reach of the JVM beyond its {@code spring} module.
	 *
	 * @param inheritEnvironment whether {@code os.environ} starts from the JVM's environment
	 * @param hostClassLookup whether {@code import java} may look up any Java class
	 */
	public record Access(boolean inheritEnvironment, boolean hostClassLookup) {

		/** Nothing: the environment the app is given, no Java class lookup. */
		public static final Access NONE = new Access(false, false);

	}

	@Override
	public String toString() {
		return "'" + this.name + "' (" + this.module + ":" + this.callable + " in " + this.directory + ")";
	}

}
