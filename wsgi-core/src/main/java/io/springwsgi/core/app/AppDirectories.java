package io.springwsgi.core.app;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import io.springwsgi.core.python.PrivateDirectory;

/**
 * Turns an app's {@code directory} setting into a directory Python can import from:
 * {@code classpath:} locations inside a jar are copied out once to this user's
 * {@link PrivateDirectory}, since Python's import system, Django's template loaders and the
 * like read real files.
 */
public final class AppDirectories {

	/** Prefix of a location on the class path. */
	public static final String CLASSPATH_PREFIX = "classpath:";

	private static final String FILE_PREFIX = "file:";

	/** Name prefix of a copy being written, before it is renamed into place. */
	static final String STAGING_PREFIX = ".staging-";

	private AppDirectories() {
	}

	/**
	 * Resolve a location to a directory on the file system.
	 * @param location {@code classpath:some/dir}, {@code file:/some/dir} or a path; a relative
	 * path is resolved against the working directory
	 * @param classLoader the class loader that sees {@code classpath:} locations
	 * @return the directory
	 * @throws AppDirectoryNotFoundException if there is no such directory
	 */
	public static Path resolve(String location, ClassLoader classLoader) {
		if (location.startsWith(CLASSPATH_PREFIX)) {
			return resolveClasspath(location, classLoader);
		}
		String path = location.startsWith(FILE_PREFIX) ? location.substring(FILE_PREFIX.length()) : location;
		Path directory = Path.of(path).toAbsolutePath().normalize();
		if (!Files.isDirectory(directory)) {
			throw new AppDirectoryNotFoundException(location, directory + " is not a directory");
		}
		return directory;
	}

	private static Path resolveClasspath(String location, ClassLoader classLoader) {
		String resource = stripSlashes(location.substring(CLASSPATH_PREFIX.length()));
		URL url = classLoader.getResource(resource);
		if (url == null) {
			url = classLoader.getResource(resource + "/");
		}
		if (url == null) {
			throw new AppDirectoryNotFoundException(location, "no resource '" + resource + "' on the class path");
		}
		try {
			if ("file".equals(url.getProtocol())) {
				return Path.of(url.toURI());
			}
			URLConnection connection = url.openConnection();
			if (connection instanceof JarURLConnection jar) {
				return extract(jar, location);
			}
		}
		catch (IOException | URISyntaxException ex) {
			throw new AppDirectoryNotFoundException(location, "cannot read " + url + ": " + ex.getMessage());
		}
		throw new AppDirectoryNotFoundException(location, "unsupported class path URL " + url);
	}

	/**
	 * Copy the entries under the connection's entry into this user's private directory, to a
	 * directory named after their names and contents: a restart of the same jar
	 * reuses the copy, a changed jar gets a new one whatever its timestamps.
	 */
	private static Path extract(JarURLConnection connection, String location) throws IOException {
		connection.setUseCaches(false);
		String prefix = stripSlashes(connection.getEntryName()) + "/";
		Path copies = PrivateDirectory.ensure(PrivateDirectory.ofCurrentUser().resolve("apps"));
		try (JarFile jar = connection.getJarFile()) {
			return extract(jar, prefix, location, copies);
		}
	}

	/**
	 * Copy the jar's files under {@code prefix} to a content-keyed directory under
	 * {@code copies}, unless it is there already. The copy is written to a staging directory
	 * and renamed into place, so two JVMs extracting at once never see half a copy; each
	 * holds a shared lock on the copies it uses for as long as it runs, and copies that no
	 * running JVM holds are deleted.
	 * @param jar the jar
	 * @param prefix the entry names' prefix, ending in {@code /}
	 * @param location the configured location, for error messages
	 * @param copies the directory of copies, private to this user
	 * @return the copy
	 * @throws IOException if the jar cannot be read or the copy written
	 */
	static Path extract(JarFile jar, String prefix, String location, Path copies) throws IOException {
		List<JarEntry> entries = jar.stream()
			.filter((entry) -> entry.getName().startsWith(prefix) && !entry.isDirectory())
			.sorted(Comparator.comparing(JarEntry::getName))
			.toList();
		if (entries.isEmpty()) {
			throw new AppDirectoryNotFoundException(location, "'" + prefix + "' holds no files in " + jar.getName());
		}
		Path target = copies.resolve(contentKey(prefix, entries));
		CopyLocks.hold(copies, target.getFileName().toString());
		if (!Files.isDirectory(target)) {
			Path staging = Files.createTempDirectory(copies, STAGING_PREFIX);
			try {
				copy(jar, prefix, entries, staging);
				moveIntoPlace(staging, target);
			}
			finally {
				deleteTree(staging);
			}
		}
		CopyLocks.deleteUnheld(copies);
		return target;
	}

	/**
	 * A key for the files' names and contents: a hash over each file's name, size and CRC-32,
	 * which the jar's central directory holds, so the key costs no decompression.
	 */
	private static String contentKey(String prefix, List<JarEntry> entries) {
		MessageDigest digest;
		try {
			digest = MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every Java platform has SHA-256", ex);
		}
		for (JarEntry entry : entries) {
			digest.update((entry.getName().substring(prefix.length()) + "\0" + entry.getSize() + "\0"
					+ entry.getCrc() + "\0").getBytes(StandardCharsets.UTF_8));
		}
		return HexFormat.of().formatHex(digest.digest(), 0, 16);
	}

	private static void copy(JarFile jar, String prefix, List<JarEntry> entries, Path staging) throws IOException {
		for (JarEntry entry : entries) {
			Path file = staging.resolve(entry.getName().substring(prefix.length())).normalize();
			if (!file.startsWith(staging)) {
				continue;
			}
			Files.createDirectories(file.getParent());
			try (InputStream in = jar.getInputStream(entry)) {
				Files.copy(in, file);
			}
		}
	}

	private static void moveIntoPlace(Path staging, Path target) throws IOException {
		try {
			Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			// Another JVM renamed the same content into place first: theirs is as good as ours.
			if (!Files.isDirectory(target)) {
				throw ex;
			}
		}
	}

	static void deleteTree(Path root) throws IOException {
		if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(root)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
	}

	private static String stripSlashes(String path) {
		String stripped = path;
		while (stripped.startsWith("/")) {
			stripped = stripped.substring(1);
		}
		while (stripped.endsWith("/")) {
			stripped = stripped.substring(0, stripped.length() - 1);
		}
		return stripped;
	}

}
