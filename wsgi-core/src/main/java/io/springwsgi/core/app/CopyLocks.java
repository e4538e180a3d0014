package io.springwsgi.core.app;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import io.springwsgi.core.python.PrivateDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which copies of {@code classpath:} directories are in use: every JVM holds a shared lock on
 * {@code <copy>.lock} for each copy it uses until it exits, so a copy whose lock can be taken
 * exclusively is used by no running JVM and can be deleted, with its bytecode.
 */
final class CopyLocks {

	private static final Logger logger = LoggerFactory.getLogger(CopyLocks.class);

	/** Staging directories this old were left by a JVM that died while copying. */
	private static final Duration ABANDONED = Duration.ofHours(1);

	/** The locks this JVM holds, kept reachable: a collected channel would release its lock. */
	private static final Map<Path, FileLock> held = new ConcurrentHashMap<>();

	private CopyLocks() {
	}

	/**
	 * Hold a shared lock on the copy of that name for as long as this JVM runs, waiting while
	 * another JVM deletes it.
	 */
	static void hold(Path copies, String name) throws IOException {
		Path lockFile = copies.resolve(name + ".lock");
		synchronized (held) {
			if (held.containsKey(lockFile)) {
				return;
			}
			FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
					StandardOpenOption.WRITE);
			held.put(lockFile, channel.lock(0, Long.MAX_VALUE, true));
		}
	}

	/** Delete the copies (and staging directories) that no running JVM holds. */
	static void deleteUnheld(Path copies) {
		List<Path> children;
		try (Stream<Path> list = Files.list(copies)) {
			children = list.toList();
		}
		catch (IOException ex) {
			logger.warn("Could not list {} to delete unused copies of Python code: {}", copies, ex.getMessage());
			return;
		}
		for (Path child : children) {
			String name = child.getFileName().toString();
			try {
				if (name.startsWith(AppDirectories.STAGING_PREFIX)) {
					if (Files.getLastModifiedTime(child).toInstant().isBefore(Instant.now().minus(ABANDONED))) {
						AppDirectories.deleteTree(child);
					}
				}
				else if (!name.endsWith(".lock") && Files.isDirectory(child)) {
					deleteIfUnheld(copies, child);
				}
			}
			catch (IOException ex) {
				logger.warn("Could not delete the unused copy of Python code {}: {}", child, ex.getMessage());
			}
		}
	}

	private static void deleteIfUnheld(Path copies, Path copy) throws IOException {
		Path lockFile = copies.resolve(copy.getFileName() + ".lock");
		if (held.containsKey(lockFile)) {
			return;
		}
		try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
			FileLock lock = channel.tryLock();
			if (lock == null) {
				return;
			}
			logger.info("Deleting {}, a copy of Python code no running JVM uses", copy);
			AppDirectories.deleteTree(copy);
			Path bytecode = PrivateDirectory.ofCurrentUser().resolve("bytecode");
			AppDirectories.deleteTree(bytecode.resolve(copy.toAbsolutePath().toString().substring(1)));
			lock.release();
		}
		catch (OverlappingFileLockException ex) {
			// This JVM is taking it right now.
		}
	}

}
