package io.springwsgi.core.app;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Turns an app's {@code directory} setting into a directory Python can import from:
 * {@code classpath:} locations inside a jar are copied out once to a temporary directory,
 * since Python's import system, Django's template loaders and the like read real files.
 */
public final class AppDirectories {

	/** Prefix of a location on the class path. */
	public static final String CLASSPATH_PREFIX = "classpath:";

	private static final String FILE_PREFIX = "file:";

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
	 * Copy the entries under the connection's entry to a directory named after the jar, its
	 * modification time and the entry, so that a restart of the same jar reuses the copy.
	 */
	private static synchronized Path extract(JarURLConnection connection, String location) throws IOException {
		connection.setUseCaches(false);
		String prefix = stripSlashes(connection.getEntryName()) + "/";
		URL jarUrl = connection.getJarFileURL();
		long modified = connection.getLastModified();
		String key = Integer.toHexString((jarUrl + "|" + modified + "|" + prefix).hashCode());
		Path target = Path.of(System.getProperty("java.io.tmpdir"), "springwsgi", key);
		Path complete = target.resolve(".springwsgi-extracted");
		if (Files.exists(complete)) {
			return target;
		}
		int files = 0;
		try (JarFile jar = connection.getJarFile()) {
			Enumeration<JarEntry> entries = jar.entries();
			while (entries.hasMoreElements()) {
				JarEntry entry = entries.nextElement();
				if (!entry.getName().startsWith(prefix) || entry.isDirectory()) {
					continue;
				}
				Path file = target.resolve(entry.getName().substring(prefix.length())).normalize();
				if (!file.startsWith(target)) {
					continue;
				}
				Files.createDirectories(file.getParent());
				try (InputStream in = jar.getInputStream(entry)) {
					Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
				}
				files++;
			}
		}
		if (files == 0) {
			throw new AppDirectoryNotFoundException(location, "'" + prefix + "' holds no files in " + jarUrl);
		}
		Files.createFile(complete);
		return target;
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
