package io.springwsgi.core.asgi;

/**
 * Whether an ASGI app's scope {@code path} includes {@code root_path}, the mount path: the one
 * point where frameworks disagree.
 */
public enum RootPathInPath {

	/** {@code path} includes {@code root_path}: the current ASGI spec, uvicorn, Starlette 0.33+. */
	INCLUDED,

	/** {@code path} without {@code root_path}: Starlette before 0.33 (FastAPI 0.92 and older). */
	EXCLUDED,

	/**
	 * {@link #EXCLUDED} when Starlette before 0.33 is loaded in the app's first context once the
	 * app is imported, {@link #INCLUDED} otherwise.
	 */
	DETECT;

	/**
	 * The convention Starlette of a version routes on.
	 * @param starletteVersion {@code starlette.__version__}, such as {@code 0.26.1}; {@code null}
	 * when the app's context has not loaded Starlette
	 * @return {@link #EXCLUDED} for Starlette before 0.33, {@link #INCLUDED} otherwise
	 */
	public static RootPathInPath ofStarlette(String starletteVersion) {
		if (starletteVersion == null) {
			return INCLUDED;
		}
		String[] parts = starletteVersion.split("\\.", 3);
		int major = leadingNumber(parts[0]);
		int minor = (parts.length > 1) ? leadingNumber(parts[1]) : 0;
		return (major == 0 && minor < 33) ? EXCLUDED : INCLUDED;
	}

	private static int leadingNumber(String part) {
		int end = 0;
		while (end < part.length() && Character.isDigit(part.charAt(end))) {
			end++;
		}
		return (end == 0) ? 0 : Integer.parseInt(part.substring(0, end));
	}

}
