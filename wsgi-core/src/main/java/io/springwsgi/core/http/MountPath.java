package io.springwsgi.core.http;

/**
 * The path an app is mounted at, as both protocols name it: WSGI's {@code SCRIPT_NAME} and
 * ASGI's {@code root_path}.
 */
public final class MountPath {

	private MountPath() {
	}

	/**
	 * A configured mount path in the form both protocols want: a leading slash, no trailing
	 * slash, {@code ""} for the root.
	 * @param mountPath the configured mount path, {@code flask/}; {@code null} for the root
	 * @return the normalized mount path, {@code /flask}
	 */
	public static String normalize(String mountPath) {
		String path = (mountPath == null) ? "" : mountPath.strip();
		while (path.endsWith("/")) {
			path = path.substring(0, path.length() - 1);
		}
		if (!path.isEmpty() && !path.startsWith("/")) {
			path = "/" + path;
		}
		return path;
	}

}
