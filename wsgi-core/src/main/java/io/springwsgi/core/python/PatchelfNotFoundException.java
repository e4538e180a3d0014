package io.springwsgi.core.python;

/**
 * {@code patchelf} is not on the {@code PATH}, so GraalPy could not give each context its own
 * copy of a native standard-library module ({@code sqlite3}, XML parsers, {@code termios}, ...)
 * and every context but the first would fail to import them.
 */
public class PatchelfNotFoundException extends IllegalStateException {

	/** What to do about it, for a failure analysis or a log line. */
	public static final String ACTION = "Install patchelf and make sure it is on the PATH of the JVM: "
			+ "'apt-get install patchelf' on Debian and Ubuntu, 'dnf install patchelf' on Fedora and RHEL, "
			+ "'apk add patchelf' on Alpine; in a container image, add it to the image (RUN apt-get install -y "
			+ "patchelf). GraalPy runs it to copy native modules per context; springwsgi lets it run nothing else.";

	/**
	 * Create the exception.
	 * @param searchPath the {@code PATH} that was searched
	 */
	public PatchelfNotFoundException(String searchPath) {
		super("springwsgi needs 'patchelf' so that every GraalPy context can load the standard library's native "
				+ "modules (sqlite3, xml.parsers.expat, termios, unicodedata, ...), but it is not on the PATH ("
				+ searchPath + ")");
	}

}
