package io.springwsgi.core.python;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The directory where this user's JVMs keep what Python imports or caches outside the
 * app's own directories: copies of {@code classpath:} directories (the bridge's runtime
 * included) and bytecode. Python executes what it finds there, so nobody else may write
 * to it: on POSIX file systems it is created {@code 0700}, and an existing one is used only
 * if it is a real directory (not a link) owned by this user with no access for anyone else.
 */
public final class PrivateDirectory {

	private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

	private PrivateDirectory() {
	}

	/**
	 * This user's directory, {@code springwsgi-<user>} under {@code java.io.tmpdir}, checked
	 * (and created if missing) on every call.
	 * @return the directory
	 * @throws IllegalStateException if it exists but is not private to this user
	 */
	public static Path ofCurrentUser() {
		String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
		return ensure(Path.of(System.getProperty("java.io.tmpdir"), "springwsgi-" + user));
	}

	/**
	 * Create the directory private to this user, or check that an existing one is.
	 * @param directory the directory
	 * @return the directory
	 * @throws IllegalStateException if it exists but is not private to this user, or cannot
	 * be created
	 */
	public static Path ensure(Path directory) {
		boolean posix = Files.getFileAttributeView(directory.getParent(), PosixFileAttributeView.class) != null;
		try {
			if (posix) {
				Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
				// The umask may have taken permissions away, never added them; set them exactly.
				Files.setPosixFilePermissions(directory, OWNER_ONLY);
			}
			else {
				Files.createDirectory(directory);
			}
			return directory;
		}
		catch (FileAlreadyExistsException ex) {
			if (posix) {
				checkPrivate(directory);
			}
			return directory;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot create the private directory " + directory + ": " + ex.getMessage()
					+ "; make java.io.tmpdir a directory this user may write to", ex);
		}
	}

	private static void checkPrivate(Path directory) {
		PosixFileAttributes attributes;
		try {
			attributes = Files.readAttributes(directory, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot check the private directory " + directory + ": " + ex.getMessage(),
					ex);
		}
		String user = System.getProperty("user.name");
		String problem = !attributes.isDirectory() ? "is not a directory (or is a symbolic link)"
				: !attributes.owner().getName().equals(user) ? "belongs to " + attributes.owner().getName() + ", not " + user
						: !attributes.permissions().equals(OWNER_ONLY)
								? "has permissions " + PosixFilePermissions.toString(attributes.permissions())
										+ ", not rwx------"
								: null;
		if (problem != null) {
			throw new IllegalStateException("Refusing to use " + directory + " for Python code: it " + problem
					+ ", so another user could have put code there. Remove it (or point java.io.tmpdir elsewhere)"
					+ " and start again.");
		}
	}

}
