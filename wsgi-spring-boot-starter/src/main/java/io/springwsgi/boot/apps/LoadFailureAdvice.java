package io.springwsgi.boot.apps;

import io.springwsgi.core.app.AppLoadException;
import io.springwsgi.core.python.PythonEngine;

/**
 * What to do when an app fails to load, for the kind of failure it was: a package that isn't
 * installed calls for {@code python-path}, a C extension built for CPython for another package,
 * a GraalPy limitation for a report.
 */
final class LoadFailureAdvice {

	private LoadFailureAdvice() {
	}

	static String action(AppDefinition app, AppLoadException failure) {
		String prefix = "wsgi.apps[" + app.index() + "]";
		String module = failure.getModule();
		return switch (failure.getKind()) {
			case CPYTHON_EXTENSION -> "'" + module + "' exists here only as a C extension built for CPython ("
					+ failure.getDetail() + "), and GraalPy cannot load those. Use a pure-Python package instead of "
					+ "the one that imports it, or an optional dependency's fallback, or install a build of the "
					+ "package made for GraalPy (GraalPy's pip or graalpy-maven-plugin) and list its site-packages "
					+ "under " + prefix + ".python-path. The Python traceback above shows which import needs it.";
			case NATIVE_MODULE_REFUSED -> "GraalPy refused the native module '" + module + "' because another "
					+ "GraalPy context of this JVM loaded it without the option python.IsolateNativeModules. springwsgi "
					+ "sets it on every context it creates; a context created elsewhere in this JVM (by other code "
					+ "using GraalPy) must set it too: .allowExperimentalOptions(true).option(\"python.IsolateNativeModules\", "
					+ "\"true\") on its Context.Builder.";
			case GRAALPY_LIMITATION -> "This code runs on CPython but fails on GraalPy " + PythonEngine.GRAALPY_VERSION
					+ ((module != null) ? " in package '" + module + "'" : "") + " (" + failure.getDetail() + "). "
					+ "springwsgi corrects the known cases at import (they are logged and listed by the actuator "
					+ "wsgi endpoint); this one has no correction yet. Use another version of the package, or report it "
					+ "to springwsgi with the traceback above.";
			case MISSING_MODULE -> "The module '" + module + "' is not on the app's sys.path. Check that " + prefix
					+ ".module ('" + app.module() + "') is right and that " + prefix + ".python-path lists where the "
					+ "package that provides '" + module + "' is installed (no system site-packages are added by "
					+ "themselves).";
			case CALLABLE -> "Check that " + prefix + ".callable ('" + app.callable() + "') names a callable of "
					+ "module '" + app.module() + "'.";
			case LIFESPAN -> "The app's ASGI lifespan startup failed: fix what its startup handler reports above.";
			case IMPORT -> "Check that " + prefix + ".module ('" + app.module() + "') and .callable ('"
					+ app.callable() + "') name a callable that imports from .directory, and that .python-path "
					+ "lists where the packages it imports are installed. The Python traceback above says what failed.";
		};
	}

}
