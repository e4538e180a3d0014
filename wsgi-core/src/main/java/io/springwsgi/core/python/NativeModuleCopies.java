package io.springwsgi.core.python;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The copies of native modules that {@link NativeModuleIsolation} has GraalPy make: one
 * directory per copy under {@code java.io.tmpdir}, named by a number, holding one
 * {@code <library>.so.dup<n>}. GraalPy removes a copy when its context closes, so what a JVM
 * leaves is what it never closed: it was killed, it ran out of memory, or it gave up a context
 * whose thread could not be stopped. Nothing else would remove those; {@link #sweep} does, at
 * engine start-up, for every copy that no running process has loaded.
 * <p>
 * A copy is in use while a process maps it, which Linux lists in {@code /proc/<pid>/maps}.
 * Without {@code /proc} nothing is removed.
 */
public final class NativeModuleCopies {

	private static final Logger logger = LoggerFactory.getLogger(NativeModuleCopies.class);

	private static final Pattern DIRECTORY = Pattern.compile("[0-9]+");

	private static final Pattern COPY = Pattern.compile(".+\\.dup[0-9]+");

	/** Between GraalPy's copy and its {@code dlopen}, a copy is not mapped yet. */
	static final Duration LOADING = Duration.ofMinutes(1);

	private NativeModuleCopies() {
	}

	/**
	 * Remove the copies in {@code directory} that no process maps and that are older than
	 * {@code loading}.
	 * @param directory where GraalPy makes its copies, {@code java.io.tmpdir}
	 * @param processes where the processes' memory maps are, {@code /proc}
	 * @param loading how long a copy may go unmapped while its context loads it
	 * @return the number of copies removed
	 */
	static int sweep(Path directory, Path processes, Duration loading) {
		if (!Files.isDirectory(processes)) {
			return 0;
		}
		List<Path> copies = copies(directory);
		if (copies.isEmpty()) {
			return 0;
		}
		Set<Path> mapped = mappedDirectories(processes);
		Instant loadedBy = Instant.now().minus(loading);
		int removed = 0;
		for (Path copy : copies) {
			if (!mapped.contains(copy) && modifiedBefore(copy, loadedBy) && delete(copy)) {
				removed++;
			}
		}
		return removed;
	}

	/**
	 * Remove the copies that JVMs which did not close their contexts left in
	 * {@code java.io.tmpdir}, and say how many.
	 */
	static void sweepTemporaryDirectory() {
		int removed = sweep(Path.of(System.getProperty("java.io.tmpdir")), Path.of("/proc"), LOADING);
		if (removed > 0) {
			logger.info("Removed {} copies of GraalPy native modules that JVMs which did not close their Python "
					+ "contexts left in {}", removed, System.getProperty("java.io.tmpdir"));
		}
	}

	/**
	 * The directories in {@code directory} that hold copies of native modules and nothing else.
	 * @param directory the directory to look in
	 * @return the copies' directories
	 */
	public static List<Path> copies(Path directory) {
		try (Stream<Path> entries = Files.list(directory)) {
			return entries.filter((entry) -> DIRECTORY.matcher(entry.getFileName().toString()).matches())
				.filter(NativeModuleCopies::holdsOnlyCopies)
				.toList();
		}
		catch (IOException ex) {
			return List.of();
		}
	}

	/**
	 * The directories of the copies that some process maps now.
	 * @param processes {@code /proc}
	 * @return the directories
	 */
	public static Set<Path> mappedDirectories(Path processes) {
		Set<Path> mapped = new HashSet<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(processes, "[0-9]*")) {
			for (Path process : entries) {
				try (Stream<String> lines = Files.lines(process.resolve("maps"))) {
					lines.map(NativeModuleCopies::mappedFile)
						.filter((file) -> file != null && COPY.matcher(file.getFileName().toString()).matches())
						.forEach((file) -> mapped.add(file.getParent()));
				}
				catch (IOException | UncheckedIOException ex) {
					// The process ended meanwhile, or its maps are not ours to read.
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return mapped;
	}

	/** The path at the end of a maps line ({@code address perms offset dev inode path}). */
	private static Path mappedFile(String line) {
		int slash = line.indexOf('/');
		return (slash < 0) ? null : Path.of(line.substring(slash).replace(" (deleted)", ""));
	}

	private static boolean holdsOnlyCopies(Path directory) {
		if (!Files.isDirectory(directory)) {
			return false;
		}
		try (Stream<Path> files = Files.list(directory)) {
			List<Path> all = files.toList();
			return !all.isEmpty() && all.stream()
				.allMatch((file) -> Files.isRegularFile(file) && COPY.matcher(file.getFileName().toString()).matches());
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static boolean modifiedBefore(Path directory, Instant instant) {
		try {
			return Files.getLastModifiedTime(directory).toInstant().isBefore(instant);
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static boolean delete(Path directory) {
		try (Stream<Path> files = Files.list(directory)) {
			for (Path file : files.toList()) {
				Files.deleteIfExists(file);
			}
			Files.deleteIfExists(directory);
			return true;
		}
		catch (IOException ex) {
			logger.debug("Could not remove the native module copy {}", directory, ex);
			return false;
		}
	}

}
