package io.springwsgi.boot.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.springwsgi.core.app.WarmUp;
import io.springwsgi.core.python.CompilationMode;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Python web apps hosted by this service, bound from {@code wsgi.*}.
 */
@ConfigurationProperties("wsgi")
@Validated
public class WsgiProperties {

	/**
	 * Python apps to host, each mounted at its own path.
	 */
	@Valid
	private List<App> apps = new ArrayList<>();

	/**
	 * Whether the Python code of every app may look up arbitrary Java classes with "import
	 * java"; wsgi.apps[*].host-class-lookup grants it to one app.
	 */
	private boolean hostClassLookup = false;

	/**
	 * Whether the server refuses, for every route, requests whose framing RFC 9112 does not
	 * allow (HTTP versions other than 1.x, two Host fields, unknown transfer codings, both
	 * Content-Length and Transfer-Encoding, malformed chunks) and closes their connection.
	 */
	private boolean strictHttp = true;

	/**
	 * Longest time closing every app may take at shutdown, all apps together (they close at
	 * once), after the web server's graceful shutdown has drained its requests; what still
	 * runs then is stopped without being waited for.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(10);

	/**
	 * How GraalPy's JIT compiles Python (Truffle's engine.Mode; only where the JIT runs):
	 * latency makes each compilation cheaper, so a fresh service serves fast sooner; throughput
	 * spends more on each for the most optimized code; default balances the two. A
	 * -Dpolyglot.engine.Mode on the command line wins.
	 */
	private CompilationMode compilationMode = CompilationMode.LATENCY;

	/**
	 * Truffle (engine.*, compiler.*) and GraalPy (python.*) options of the engine that every
	 * app's contexts share, by name, such as engine.CompilerThreads: 2. Options that only the
	 * JIT has are left out where Python is interpreted only. Write a dotted name in brackets in
	 * a properties file: wsgi.engine-options[engine.CompilerThreads]=2.
	 */
	private Map<String, String> engineOptions = new LinkedHashMap<>();

	/**
	 * Whether wsgi.engine-options may set options that Truffle or GraalPy mark experimental,
	 * such as the compilation thresholds (engine.FirstTierCompilationThreshold) and tiers
	 * (engine.MultiTier): they may change or go in any GraalPy release, and the start-up log
	 * says when they are allowed.
	 */
	private boolean allowExperimentalEngineOptions = false;

	/**
	 * Whether the JIT compilers get the CPU first while a fresh service warms up: once the apps
	 * are loaded, every other thread of the JVM runs at nice 10 until the compilers are idle
	 * (Linux, with renice on the PATH). Lowering the nice values back needs root with
	 * CAP_SYS_NICE; without it they stay, which changes nothing among the JVM's own threads but
	 * yields to other processes of the same cgroup.
	 */
	private boolean compilersFirst = true;

	/**
	 * Bytecode (.pyc) of the modules Python contexts import, kept so later contexts and
	 * later runs skip parsing them.
	 */
	private final BytecodeCache bytecodeCache = new BytecodeCache();

	/**
	 * Limits of spring.sql, spring.sql_rows and spring.sql_update for every app.
	 */
	@Valid
	private final Sql sql = new Sql();

	public BytecodeCache getBytecodeCache() {
		return this.bytecodeCache;
	}

	public Sql getSql() {
		return this.sql;
	}

	public List<App> getApps() {
		return this.apps;
	}

	public void setApps(List<App> apps) {
		this.apps = apps;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public boolean isStrictHttp() {
		return this.strictHttp;
	}

	public void setStrictHttp(boolean strictHttp) {
		this.strictHttp = strictHttp;
	}

	public CompilationMode getCompilationMode() {
		return this.compilationMode;
	}

	public void setCompilationMode(CompilationMode compilationMode) {
		this.compilationMode = compilationMode;
	}

	public Map<String, String> getEngineOptions() {
		return this.engineOptions;
	}

	public void setEngineOptions(Map<String, String> engineOptions) {
		this.engineOptions = engineOptions;
	}

	public boolean isAllowExperimentalEngineOptions() {
		return this.allowExperimentalEngineOptions;
	}

	public void setAllowExperimentalEngineOptions(boolean allowExperimentalEngineOptions) {
		this.allowExperimentalEngineOptions = allowExperimentalEngineOptions;
	}

	public boolean isCompilersFirst() {
		return this.compilersFirst;
	}

	public void setCompilersFirst(boolean compilersFirst) {
		this.compilersFirst = compilersFirst;
	}

	public boolean isHostClassLookup() {
		return this.hostClassLookup;
	}

	public void setHostClassLookup(boolean hostClassLookup) {
		this.hostClassLookup = hostClassLookup;
	}

	/**
	 * Where Python contexts cache bytecode.
	 */
	public static class BytecodeCache {

		/**
		 * Whether contexts write the bytecode of the modules they import and read it back.
		 */
		private boolean enabled = true;

		/**
		 * Directory of the cache; by default springwsgi-<user>/bytecode under java.io.tmpdir.
		 */
		private Path directory;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Path getDirectory() {
			return this.directory;
		}

		public void setDirectory(Path directory) {
			this.directory = directory;
		}

	}

	public static class Sql {

		/**
		 * Maximum number of rows a query from Python may return; a query with more fails.
		 */
		@Min(1)
		private int maxRows = 10_000;

		/**
		 * Number of rows the JDBC driver fetches from the database at a time.
		 */
		@Min(0)
		private int fetchSize = 500;

		public int getMaxRows() {
			return this.maxRows;
		}

		public void setMaxRows(int maxRows) {
			this.maxRows = maxRows;
		}

		public int getFetchSize() {
			return this.fetchSize;
		}

		public void setFetchSize(int fetchSize) {
			this.fetchSize = fetchSize;
		}

	}

	/**
	 * The protocol an app speaks.
	 */
	public enum Protocol {

		/** PEP 3333: Flask, Django, anything WSGI. */
		WSGI,

		/** ASGI 3: FastAPI, Starlette, Django's ASGI handler. */
		ASGI

	}

	/**
	 * One hosted Python app.
	 */
	public static class App {

		/**
		 * Unique name of the app, used in logs, metrics and health.
		 */
		@NotBlank
		@Pattern(regexp = "[A-Za-z0-9_.-]+", message = "must hold only letters, digits, '.', '_' and '-'")
		private String name;

		/**
		 * Path the app is mounted at, such as /flask; becomes SCRIPT_NAME (WSGI) or root_path (ASGI).
		 */
		@NotBlank
		@Pattern(regexp = "/[^?#*{}]*", message = "must start with '/' and hold no '?', '#', '*', '{' or '}'")
		private String path;

		/**
		 * Directory of the app's code, prepended to sys.path: "classpath:python/flask" or a
		 * file system path, relative ones resolved against the working directory.
		 */
		@NotBlank
		private String directory;

		/**
		 * Module to import, dotted names allowed, such as "app" or "mysite.wsgi".
		 */
		@NotBlank
		private String module;

		/**
		 * Name of the WSGI or ASGI callable in the module.
		 */
		@NotBlank
		private String callable = "application";

		/**
		 * Protocol the callable speaks.
		 */
		@NotNull
		private Protocol protocol = Protocol.WSGI;

		/**
		 * Whether to reload the app when a file under its directory changes and to send
		 * tracebacks in 500 responses. Never in production.
		 */
		private boolean debug = false;

		/**
		 * Further sys.path entries after the directory, such as a virtual environment's
		 * site-packages: "classpath:" locations or file system paths.
		 */
		private List<String> pythonPath = new ArrayList<>();

		/**
		 * Names of the Spring beans this app may use through "import spring".
		 */
		private List<String> beans = new ArrayList<>();

		/**
		 * Environment variables of the app's os.environ: all it sees of the process's
		 * environment unless inherit-environment is set.
		 */
		private Map<String, String> env = new LinkedHashMap<>();

		/**
		 * Whether the app's os.environ starts from the JVM's environment (database
		 * passwords included) before env is added.
		 */
		private boolean inheritEnvironment = false;

		/**
		 * Whether the app may run SQL through the application's DataSource with spring.sql,
		 * spring.sql_rows and spring.sql_update.
		 */
		private boolean sql = false;

		/**
		 * Whether the app's Python code may look up arbitrary Java classes with "import java";
		 * wsgi.host-class-lookup grants it to every app.
		 */
		private boolean hostClassLookup = false;

		/**
		 * Largest request body the app receives; larger ones are answered with 413.
		 */
		private DataSize maxBodySize = DataSize.ofMegabytes(10);

		/**
		 * Longest time a request may run; then the client gets 504. A WSGI request's thread is
		 * interrupted, and a context that does not stop is cancelled and replaced; an ASGI app's
		 * request task is cancelled, and its context replaced when its event loop does not run;
		 * for ASGI the limit is on the time to start the response or to answer a WebSocket
		 * handshake, so a streaming response or an accepted WebSocket may go on for as long as it
		 * likes.
		 */
		private Duration requestTimeout = Duration.ofSeconds(60);

		/**
		 * Whether the ASGI scope's path includes root_path, the mount path, as the current ASGI
		 * spec says; when not set, false if the app loaded Starlette before 0.33 (such as
		 * FastAPI 0.92), true otherwise.
		 */
		private Boolean rootPathInPath;

		/**
		 * Pool of Python contexts that serve the app.
		 */
		@Valid
		private final Pool pool = new Pool();

		/**
		 * Requests replayed against each context before the app reports ready.
		 */
		@Valid
		private final WarmUp warmUp = new WarmUp();

		/**
		 * WebSocket connections to the app (ASGI).
		 */
		private final WebSocket websocket = new WebSocket();

		public WarmUp getWarmUp() {
			return this.warmUp;
		}

		public WebSocket getWebsocket() {
			return this.websocket;
		}

		public Boolean getRootPathInPath() {
			return this.rootPathInPath;
		}

		public void setRootPathInPath(Boolean rootPathInPath) {
			this.rootPathInPath = rootPathInPath;
		}

		public String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

		public String getDirectory() {
			return this.directory;
		}

		public void setDirectory(String directory) {
			this.directory = directory;
		}

		public String getModule() {
			return this.module;
		}

		public void setModule(String module) {
			this.module = module;
		}

		public String getCallable() {
			return this.callable;
		}

		public void setCallable(String callable) {
			this.callable = callable;
		}

		public Protocol getProtocol() {
			return this.protocol;
		}

		public void setProtocol(Protocol protocol) {
			this.protocol = protocol;
		}

		public boolean isDebug() {
			return this.debug;
		}

		public void setDebug(boolean debug) {
			this.debug = debug;
		}

		public List<String> getPythonPath() {
			return this.pythonPath;
		}

		public void setPythonPath(List<String> pythonPath) {
			this.pythonPath = pythonPath;
		}

		public List<String> getBeans() {
			return this.beans;
		}

		public void setBeans(List<String> beans) {
			this.beans = beans;
		}

		public Map<String, String> getEnv() {
			return this.env;
		}

		public void setEnv(Map<String, String> env) {
			this.env = env;
		}

		public boolean isInheritEnvironment() {
			return this.inheritEnvironment;
		}

		public void setInheritEnvironment(boolean inheritEnvironment) {
			this.inheritEnvironment = inheritEnvironment;
		}

		public boolean isSql() {
			return this.sql;
		}

		public void setSql(boolean sql) {
			this.sql = sql;
		}

		public boolean isHostClassLookup() {
			return this.hostClassLookup;
		}

		public void setHostClassLookup(boolean hostClassLookup) {
			this.hostClassLookup = hostClassLookup;
		}

		public DataSize getMaxBodySize() {
			return this.maxBodySize;
		}

		public void setMaxBodySize(DataSize maxBodySize) {
			this.maxBodySize = maxBodySize;
		}

		public Duration getRequestTimeout() {
			return this.requestTimeout;
		}

		public void setRequestTimeout(Duration requestTimeout) {
			this.requestTimeout = requestTimeout;
		}

		public Pool getPool() {
			return this.pool;
		}

	}

	/**
	 * The WebSocket connections of one app.
	 */
	public static class WebSocket {

		/**
		 * Largest message the app receives, whole or in fragments; a larger one closes the
		 * connection with 1009 (message too big).
		 */
		private DataSize maxMessageSize = DataSize.ofKilobytes(64);

		public DataSize getMaxMessageSize() {
			return this.maxMessageSize;
		}

		public void setMaxMessageSize(DataSize maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
		}

	}

	/**
	 * The warm-up of one app.
	 */
	public static class WarmUp {

		/**
		 * Requests replayed through the app's request path against each context once it is
		 * loaded, each a method and a path below the mount path, such as "GET /posts?limit=1".
		 * They reach the app like any request, so prefer ones without side effects.
		 */
		private List<String> requests = new ArrayList<>();

		/**
		 * Times each context replays the requests.
		 */
		@Min(0)
		private int rounds = 20;

		/**
		 * Longest time each context spends warming up; the app is ready when it has passed.
		 */
		@NotNull
		private Duration maxDuration = Duration.ofSeconds(30);

		public List<String> getRequests() {
			return this.requests;
		}

		public void setRequests(List<String> requests) {
			this.requests = requests;
		}

		public int getRounds() {
			return this.rounds;
		}

		public void setRounds(int rounds) {
			this.rounds = rounds;
		}

		public Duration getMaxDuration() {
			return this.maxDuration;
		}

		public void setMaxDuration(Duration maxDuration) {
			this.maxDuration = maxDuration;
		}

	}

	/**
	 * The pool of contexts of one app.
	 */
	public static class Pool {

		/**
		 * Number of Python contexts. For WSGI the requests the app runs in parallel, by default
		 * the JVM's available processors, at most 8; for ASGI the event loops, by default half
		 * the available processors rounded up, at most 4.
		 */
		@Min(1)
		private Integer size;

		/**
		 * Maximum time a request waits for a free context before it is answered with 503; for
		 * an ASGI app, which never waits for a busy context, the wait for its first context.
		 */
		@NotNull
		private Duration acquireTimeout = Duration.ofSeconds(5);

		/**
		 * Maximum number of requests waiting for a context; more are answered with 503 at once.
		 * For an ASGI app, the requests waiting for its first context.
		 */
		@Min(0)
		private int maxWaiting = 100;

		/**
		 * Requests after which a context is replaced by a fresh one; 0 keeps contexts for ever.
		 * An ASGI app's context serves on until its replacement is ready.
		 */
		@Min(0)
		private int maxRequests = 0;

		/**
		 * Most requests one context of an ASGI app serves at once; more are answered with 503.
		 */
		@Min(1)
		private int maxInFlight = 256;

		public int getMaxInFlight() {
			return this.maxInFlight;
		}

		public void setMaxInFlight(int maxInFlight) {
			this.maxInFlight = maxInFlight;
		}

		public Integer getSize() {
			return this.size;
		}

		public void setSize(Integer size) {
			this.size = size;
		}

		/**
		 * The pool size of an app that sets none: one WSGI context per processor, since each
		 * runs one request at a time, and one ASGI context per two, since each serves many
		 * requests at once; capped, because every context costs its own import time and heap.
		 * @param protocol the app's protocol
		 * @param processors the processors available to the JVM
		 * @return the number of contexts
		 */
		public static int defaultSize(Protocol protocol, int processors) {
			int cpus = Math.max(1, processors);
			return (protocol == Protocol.ASGI) ? Math.min(4, (cpus + 1) / 2) : Math.min(8, cpus);
		}

		public Duration getAcquireTimeout() {
			return this.acquireTimeout;
		}

		public void setAcquireTimeout(Duration acquireTimeout) {
			this.acquireTimeout = acquireTimeout;
		}

		public int getMaxWaiting() {
			return this.maxWaiting;
		}

		public void setMaxWaiting(int maxWaiting) {
			this.maxWaiting = maxWaiting;
		}

		public int getMaxRequests() {
			return this.maxRequests;
		}

		public void setMaxRequests(int maxRequests) {
			this.maxRequests = maxRequests;
		}

	}

}
