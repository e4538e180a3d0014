package io.springwsgi.core.python;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets the JIT compilers have the CPU first while a fresh service warms up: every thread of
 * the JVM but its compiler threads (HotSpot's C1 and C2, Truffle's, JVMCI's) runs at nice
 * {@link #NICE} until the compilers have been idle for a while. On a machine short of cores
 * the compilers otherwise get a thread's fair share among dozens of busy ones, and Graal,
 * which on a stock JDK is itself compiled by C2 first, takes minutes to compile Python (the
 * sample on 2 cores, measured in docs/performance.md: 0.55k instead of 8.7k req/s on Flask's
 * JSON route 4 minutes after launch).
 *
 * <p>Linux only: it reads {@code /proc/self/task} and runs {@code renice}. Raising a nice value
 * needs no privilege; lowering it back does (root with {@code CAP_SYS_NICE}): where the process
 * may, the threads get their nice values back once the compilers are idle, elsewhere they keep
 * {@link #NICE}, which in a container of their own changes nothing among themselves. Threads
 * inherit their creator's nice value, so the Truffle compiler thread must not end while idle
 * and be started again by a thread at {@code NICE}: the engine keeps it (see
 * {@link EngineOptions}).
 */
public final class CompilersFirst implements AutoCloseable {

	/** The nice value of every thread but the compilers' while they warm up. */
	public static final int NICE = 10;

	private static final Logger logger = LoggerFactory.getLogger(CompilersFirst.class);

	private static final Path TASKS = Path.of("/proc/self/task");

	/** Thread names (as the kernel truncates them to 15 characters) of the JIT compilers. */
	private static final List<String> COMPILER_THREADS = List.of("C1 CompilerThre", "C2 CompilerThre", "JVMCI",
			"TruffleCompiler");

	/** How often threads are looked at: new ones appear as pools grow. */
	private static final Duration PERIOD = Duration.ofSeconds(1);

	/** The compilers count as idle once they have used less than this share of one core ... */
	private static final double QUIET_SHARE = 0.05;

	/** ... for this long. */
	private static final Duration QUIET_WINDOW = Duration.ofSeconds(30);

	/** Clock ticks per second of the times in {@code /proc} (USER_HZ, 100 on every Linux the JDK runs on). */
	private static final long TICKS_PER_SECOND = 100;

	private final Path renice;

	private final Duration quietWindow;

	private final Thread thread;

	/** The nice value each thread had before it was raised, by thread id. */
	private final Map<String, Integer> raised = new HashMap<>();

	/** Compiler threads found above {@link #compilerNice} and put back (or tried), by thread id. */
	private final Set<String> compilersReset = new HashSet<>();

	/** The nice value of the JVM's main thread at the start, which compiler threads should have. */
	private final int compilerNice;

	private CompilersFirst(Path renice, Duration quietWindow) {
		this.renice = renice;
		this.quietWindow = quietWindow;
		String mainThread = String.valueOf(ProcessHandle.current().pid());
		this.compilerNice = tasks().stream()
			.filter((task) -> task.id().equals(mainThread))
			.mapToInt(Task::nice)
			.findFirst()
			.orElse(0);
		this.thread = Thread.ofPlatform().name("springwsgi-compilers-first").daemon().unstarted(this::run);
	}

	/**
	 * Start giving the compilers the CPU first, where the system allows it.
	 * @return the running instance, to {@linkplain #close() stop}, or {@code null} where it
	 * cannot run (not Linux, no {@code renice} on the {@code PATH}, or {@code renice} failing),
	 * which is logged; when it returns, every thread but the compilers' runs at {@link #NICE}
	 */
	public static CompilersFirst start() {
		return start(QUIET_WINDOW);
	}

	static CompilersFirst start(Duration quietWindow) {
		if (!Files.isDirectory(TASKS)) {
			logger.info("The JIT compilers do not get the CPU first: this system has no {} (Linux only)", TASKS);
			return null;
		}
		String searchPath = System.getenv("PATH");
		Path renice = Executables.onPath("renice", searchPath).orElse(null);
		if (renice == null) {
			logger.warn("The JIT compilers do not get the CPU first while they warm up: 'renice' is not on the PATH "
					+ "({}); install it (Debian and Ubuntu: bsdutils; Alpine: busybox) or set "
					+ "wsgi.compilers-first=false to silence this", searchPath);
			return null;
		}
		CompilersFirst compilersFirst = new CompilersFirst(renice, quietWindow);
		// The threads there are now are raised before this returns; the sweeper raises later ones.
		if (!compilersFirst.raiseNewThreads(tasks())) {
			return null;
		}
		compilersFirst.thread.start();
		logger.info("The JIT compilers get the CPU first while they warm up: the JVM's other threads run at nice {} "
				+ "until the compilers use less than {}% of a core for {} s", NICE, Math.round(QUIET_SHARE * 100),
				quietWindow.toSeconds());
		return compilersFirst;
	}

	private void run() {
		long quietTicks = Math.round(QUIET_SHARE * TICKS_PER_SECOND * this.quietWindow.toMillis() / 1000.0);
		long windowStart = System.nanoTime();
		long windowStartTicks = -1;
		try {
			while (true) {
				List<Task> tasks = tasks();
				if (!raiseNewThreads(tasks)) {
					return;
				}
				long compilerTicks = tasks.stream().filter(Task::compiler).mapToLong(Task::ticks).sum();
				// A compiler thread that ended takes its ticks along: start the window again.
				if (windowStartTicks < 0 || compilerTicks < windowStartTicks
						|| compilerTicks - windowStartTicks > quietTicks) {
					windowStart = System.nanoTime();
					windowStartTicks = compilerTicks;
				}
				else if (System.nanoTime() - windowStart > this.quietWindow.toNanos()) {
					restore();
					return;
				}
				TimeUnit.MILLISECONDS.sleep(PERIOD.toMillis());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Raise the nice value of the threads that are not the compilers' and have not been raised.
	 * @return {@code false} if {@code renice} failed for threads that still run
	 */
	private boolean raiseNewThreads(List<Task> tasks) {
		List<String> toRaise = new ArrayList<>();
		for (Task task : tasks) {
			if (!task.compiler() && task.nice() < NICE && !this.raised.containsKey(task.id())) {
				toRaise.add(task.id());
				this.raised.put(task.id(), task.nice());
			}
			else if (task.compiler() && task.nice() > this.compilerNice && this.compilersReset.add(task.id())
					&& !renice(this.compilerNice, List.of(task.id()))) {
				logger.debug("Compiler thread '{}' was started at nice {} and keeps it: lowering it needs "
						+ "CAP_SYS_NICE", task.name(), task.nice());
			}
		}
		if (toRaise.isEmpty() || renice(NICE, toRaise)) {
			return true;
		}
		if (Thread.currentThread().isInterrupted()) {
			return false;
		}
		// renice also fails for a thread that ended in the meantime; only those still below matter.
		boolean stillBelow = tasks().stream().anyMatch((task) -> toRaise.contains(task.id()) && task.nice() < NICE);
		if (stillBelow) {
			logger.warn("renice could not raise the nice value of the JVM's threads; the JIT compilers do not get "
					+ "the CPU first");
		}
		return !stillBelow;
	}

	/** Give the threads their nice values back, where the process may lower them. */
	private void restore() {
		Map<Integer, List<String>> byNice = new HashMap<>();
		for (Task task : tasks()) {
			Integer before = this.raised.get(task.id());
			if (before != null && task.nice() == NICE) {
				byNice.computeIfAbsent(before, (nice) -> new ArrayList<>()).add(task.id());
			}
		}
		boolean restored = byNice.entrySet().stream().allMatch((entry) -> renice(entry.getKey(), entry.getValue()));
		if (restored) {
			logger.info("The JIT compilers are idle; the JVM's threads have their nice values back");
		}
		else {
			logger.info("The JIT compilers are idle; the JVM's threads keep nice {}: lowering it back needs root "
					+ "with CAP_SYS_NICE", NICE);
		}
	}

	/**
	 * The threads of this process.
	 * @return each thread's name, nice value and CPU time
	 */
	static List<Task> tasks() {
		List<Task> tasks = new ArrayList<>();
		try (DirectoryStream<Path> directories = Files.newDirectoryStream(TASKS)) {
			for (Path directory : directories) {
				Task task = Task.read(directory);
				if (task != null) {
					tasks.add(task);
				}
			}
		}
		catch (IOException ex) {
			logger.debug("Could not list {}", TASKS, ex);
		}
		return tasks;
	}

	private boolean renice(int nice, List<String> threadIds) {
		List<String> command = new ArrayList<>(List.of(this.renice.toString(), "-n", String.valueOf(nice), "-p"));
		command.addAll(threadIds);
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (IOException ex) {
			logger.debug("{} failed", command, ex);
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Wait until the compilers were found idle and the nice values restored where possible.
	 * @param timeout how long to wait at most
	 * @return {@code true} if that happened within the timeout
	 * @throws InterruptedException if interrupted while waiting
	 */
	boolean awaitIdle(Duration timeout) throws InterruptedException {
		return this.thread.join(timeout);
	}

	/** Stop raising the nice value of new threads; those raised keep theirs. */
	@Override
	public void close() {
		this.thread.interrupt();
	}

	/**
	 * One thread of this process as {@code /proc/self/task/<id>} shows it.
	 */
	record Task(String id, String name, int nice, long ticks) {

		static Task read(Path directory) {
			try {
				String name = Files.readString(directory.resolve("comm")).strip();
				String stat = Files.readString(directory.resolve("stat"));
				// Fields after the name, which may hold spaces and parentheses: state is field 3.
				String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
				long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
				return new Task(directory.getFileName().toString(), name, Integer.parseInt(fields[16]), ticks);
			}
			catch (IOException | RuntimeException ex) {
				// The thread ended while it was read.
				return null;
			}
		}

		boolean compiler() {
			return COMPILER_THREADS.stream().anyMatch(this.name::startsWith);
		}

	}

}
