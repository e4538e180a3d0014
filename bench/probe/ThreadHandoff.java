import java.nio.file.Path;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;

/**
 * Runs thread_handoff.py in a GraalPy context with springwsgi's Python runtime and Debian's
 * packages on sys.path. Arguments: the site-packages directory, the number of rounds.
 */
public class ThreadHandoff {

	public static void main(String[] args) {
		Path here = Path.of("bench/probe").toAbsolutePath();
		Path runtime = Path.of("wsgi-core/src/main/resources/io/springwsgi/core/python/runtime").toAbsolutePath();
		try (Engine engine = Engine.newBuilder("python").option("engine.WarnInterpreterOnly", "false").build();
				Context context = Context.newBuilder("python").engine(engine).allowAllAccess(true).build()) {
			System.out.println("engine: " + engine.getImplementationName());
			context.eval("python", "import sys; sys.path[:0] = ['%s', '%s', '%s']".formatted(here, runtime, args[0]));
			context.eval("python", "import thread_handoff; thread_handoff.main(" + Integer.parseInt(args[1]) + ")");
		}
	}

}
