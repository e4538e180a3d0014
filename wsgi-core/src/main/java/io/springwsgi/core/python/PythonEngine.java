package io.springwsgi.core.python;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.HostAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one GraalPy {@link Engine} that every context of every app shares, so that parsed and
 * compiled Python code is reused across contexts, together with the single {@link HostAccess}
 * policy that all contexts of one engine must share.
 */
public final class PythonEngine implements AutoCloseable {

	/** The GraalPy version this library was built with. */
	public static final String GRAALPY_VERSION = buildProperty("graalpy.version");

	/** JVM options that give GraalPy its JIT on a stock JDK 25. */
	public static final List<String> JIT_JVM_OPTIONS = List.of("-XX:+UnlockExperimentalVMOptions",
			"-XX:+EnableJVMCI", "--upgrade-module-path=<dir>");

	/** What {@code <dir>} of {@link #JIT_JVM_OPTIONS} must hold. */
	public static final String JIT_JARS = "org.graalvm.compiler:compiler, org.graalvm.truffle:truffle-compiler, "
			+ "org.graalvm.sdk:collections and org.graalvm.sdk:word, version " + GRAALPY_VERSION;

	private static final Logger logger = LoggerFactory.getLogger(PythonEngine.class);

	/** How long closing the engine waits for its contexts to close. */
	static final Duration CONTEXTS_CLOSE_TIMEOUT = Duration.ofSeconds(10);

	private static final String INTERPRETER_ONLY = "Interpreted";

	private final Engine engine;

	private final HostAccess hostAccess;

	private final boolean hostClassLookup;

	private final Path bytecodeCache;

	private final NativeModuleIsolation nativeModules;

	private final List<ContextBuilderCustomizer> contextCustomizers = new CopyOnWriteArrayList<>();

	/** The contexts made on this engine; closed ones are let go by the garbage collector. */
	private final Set<Context> contexts = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

	private PythonEngine(Engine engine, HostAccess hostAccess, boolean hostClassLookup, Path bytecodeCache,
			NativeModuleIsolation nativeModules) {
		this.engine = engine;
		this.hostAccess = hostAccess;
		this.hostClassLookup = hostClassLookup;
		this.bytecodeCache = bytecodeCache;
		this.nativeModules = nativeModules;
	}

	/**
	 * Create the engine with the default host access: Python may call the methods of the
	 * bridge objects and of the beans an application exposes, nothing else.
	 * @return a new engine
	 */
	public static PythonEngine create() {
		return create(defaultHostAccess(), false);
	}

	/**
	 * Create the engine.
	 * @param hostAccess what Python code may reach of the Java objects handed to it
	 * @param hostClassLookup whether Python code may look up arbitrary Java classes through
	 * {@code import java}
	 * @return a new engine
	 */
	public static PythonEngine create(HostAccess hostAccess, boolean hostClassLookup) {
		return create(hostAccess, hostClassLookup, defaultBytecodeCache());
	}

	/**
	 * Create the engine, compiling for {@linkplain CompilationMode#LATENCY latency}.
	 * @param hostAccess what Python code may reach of the Java objects handed to it
	 * @param hostClassLookup whether Python code may look up arbitrary Java classes through
	 * {@code import java}
	 * @param bytecodeCache where contexts write the bytecode ({@code .pyc}) of the modules
	 * they import and read it back in later contexts and later runs, standard library
	 * included; {@code null} to parse every module from source in every context
	 * @return a new engine
	 * @throws PatchelfNotFoundException if {@code patchelf}, which every context needs to load
	 * its own copy of a native module, is not on the {@code PATH}
	 */
	public static PythonEngine create(HostAccess hostAccess, boolean hostClassLookup, Path bytecodeCache) {
		return create(hostAccess, hostClassLookup, bytecodeCache, EngineOptions.DEFAULT);
	}

	/**
	 * Create the engine.
	 * @param hostAccess what Python code may reach of the Java objects handed to it
	 * @param hostClassLookup whether Python code may look up arbitrary Java classes through
	 * {@code import java}
	 * @param bytecodeCache where contexts cache the bytecode of the modules they import, or
	 * {@code null} for none
	 * @param options the compilation mode and the Truffle and GraalPy options of the engine
	 * @return a new engine
	 * @throws PatchelfNotFoundException if {@code patchelf} is not on the {@code PATH}
	 * @throws InvalidEngineOptionException if the engine would refuse one of the options
	 */
	public static PythonEngine create(HostAccess hostAccess, boolean hostClassLookup, Path bytecodeCache,
			EngineOptions options) {
		NativeModuleIsolation nativeModules = NativeModuleIsolation.require();
		NativeModuleCopies.sweepTemporaryDirectory();
		Engine engine = options.build(PythonEngine::engineBuilder);
		PythonEngine pythonEngine = new PythonEngine(engine, hostAccess, hostClassLookup, bytecodeCache,
				nativeModules);
		pythonEngine.logRuntime(options);
		return pythonEngine;
	}

	private static Engine.Builder engineBuilder() {
		return Engine.newBuilder("python").option("engine.WarnInterpreterOnly", "false");
	}

	/**
	 * The host access used when none is given: the bridge's {@link HostAccess.Export}ed methods,
	 * public methods of the objects Python is handed, and Java arrays, lists, maps and iterables
	 * seen as their Python counterparts.
	 * @return the default host access
	 */
	public static HostAccess defaultHostAccess() {
		return HostAccess.newBuilder(HostAccess.EXPLICIT)
			.allowPublicAccess(true)
			.allowArrayAccess(true)
			.allowListAccess(true)
			.allowMapAccess(true)
			.allowIterableAccess(true)
			.allowIteratorAccess(true)
			.allowBufferAccess(true)
			// getClass() is public on every object: without these, Python could reflect its way
			// past host class lookup being off.
			.denyAccess(Class.class)
			.denyAccess(ClassLoader.class)
			// Object's own members, getClass() first: the class object's "static" member would
			// hand Python the statics of any class whose instance it holds.
			.denyAccess(Object.class, false)
			.build();
	}

	/**
	 * Whether Python code is compiled by Graal's JIT rather than only interpreted.
	 * @return {@code true} if the JIT is on
	 */
	public boolean isCompiled() {
		return !INTERPRETER_ONLY.equals(this.engine.getImplementationName());
	}

	/**
	 * The bytecode cache used when none is given: {@code bytecode} in this user's
	 * {@link PrivateDirectory}, next to the copies of {@code classpath:} directories.
	 * @return the directory
	 */
	public static Path defaultBytecodeCache() {
		return PrivateDirectory.ofCurrentUser().resolve("bytecode");
	}

	/**
	 * Where contexts cache the bytecode of the modules they import.
	 * @return the directory, or {@code null} when nothing is cached
	 */
	public Path bytecodeCache() {
		return this.bytecodeCache;
	}

	Engine engine() {
		return this.engine;
	}

	HostAccess hostAccess() {
		return this.hostAccess;
	}

	boolean hostClassLookup() {
		return this.hostClassLookup;
	}

	NativeModuleIsolation nativeModules() {
		return this.nativeModules;
	}

	private void logRuntime(EngineOptions options) {
		if (isCompiled()) {
			logger.info("GraalPy runs Python compiled by the Graal JIT ({}, Java {}, compilation mode {}); {}",
					this.engine.getImplementationName(), Runtime.version().feature(), options.describe(),
					CompilerRuntime.detect().describe());
		}
		else {
			logger.warn("GraalPy runs Python interpreter-only, 10-30x slower than with its JIT (Java {}). To turn the "
					+ "JIT on, run on JDK 25 with the JVM options {}, where <dir> holds the jars {}",
					Runtime.version().feature(), String.join(" ", JIT_JVM_OPTIONS), JIT_JARS);
		}
	}

	/**
	 * Close the engine, cancelling any context still open: a context left running would
	 * otherwise hold the close up for ever.
	 */
	private static String buildProperty(String name) {
		Properties properties = new Properties();
		try (InputStream in = PythonEngine.class.getResourceAsStream("build.properties")) {
			if (in != null) {
				properties.load(in);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return properties.getProperty(name, "unknown");
	}

	/**
	 * Add a customizer that every context created from now on is built with.
	 * @param customizer the customizer, applied after those added before
	 */
	public void addContextCustomizer(ContextBuilderCustomizer customizer) {
		this.contextCustomizers.add(customizer);
	}

	void customize(Context.Builder builder) {
		this.contextCustomizers.forEach((customizer) -> customizer.customize(builder));
	}

	void opened(Context context) {
		this.contexts.add(context);
	}

	/**
	 * Close every context still open, each on a thread of its own and for at most
	 * {@link #CONTEXTS_CLOSE_TIMEOUT}, then the engine. The engine would cancel them too, but
	 * while it holds a lock that a context still loading code waits for: closing them first
	 * lets such a context reach the point where it is cancelled.
	 */
	@Override
	public void close() {
		List<Context> open;
		synchronized (this.contexts) {
			open = new ArrayList<>(this.contexts);
		}
		CompletableFuture<?>[] closing = open.stream().map((context) -> {
			CompletableFuture<Void> closed = new CompletableFuture<>();
			Thread.ofPlatform().name("springwsgi-engine-close").daemon().start(() -> {
				try {
					context.close(true);
				}
				catch (RuntimeException ex) {
					logger.debug("A Python context did not close cleanly", ex);
				}
				finally {
					closed.complete(null);
				}
			});
			return closed;
		}).toArray(CompletableFuture[]::new);
		try {
			CompletableFuture.allOf(closing).get(CONTEXTS_CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.warn("Python contexts still ran {} after the engine was asked to close; closing it anyway",
					CONTEXTS_CLOSE_TIMEOUT);
		}
		this.engine.close(true);
	}

}
