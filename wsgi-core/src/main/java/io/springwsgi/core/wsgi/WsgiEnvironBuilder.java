package io.springwsgi.core.wsgi;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.springwsgi.core.http.MountPath;
import io.springwsgi.core.http.PercentDecoding;
import io.springwsgi.core.http.RequestHead;

/**
 * Builds the CGI part of a WSGI environ (PEP 3333, "environ Variables") from a request: the
 * keys that come from the HTTP request rather than from the server's Python side.
 *
 * <p>Values are native strings as the PEP defines them: each byte of the request is one
 * latin-1 character.
 */
public final class WsgiEnvironBuilder {

	private final String scriptName;

	/**
	 * Create a builder for an app mounted at a path.
	 * @param mountPath the mount path, {@code /flask}; {@code ""} or {@code /} for the root
	 */
	public WsgiEnvironBuilder(String mountPath) {
		this.scriptName = MountPath.normalize(mountPath);
	}

	/**
	 * Build the CGI variables.
	 * @param request the request
	 * @return the variables in insertion order
	 */
	public Map<String, String> build(RequestHead request) {
		Map<String, String> environ = new LinkedHashMap<>();
		environ.put("REQUEST_METHOD", request.method());
		environ.put("SCRIPT_NAME", this.scriptName);
		environ.put("PATH_INFO", pathInfo(request.rawPath()));
		environ.put("QUERY_STRING", (request.rawQuery() != null) ? request.rawQuery() : "");
		environ.put("SERVER_NAME", request.serverName());
		environ.put("SERVER_PORT", Integer.toString(request.serverPort()));
		environ.put("SERVER_PROTOCOL", request.protocol());
		environ.put("REMOTE_ADDR", request.remoteAddress());
		environ.put("REMOTE_PORT", Integer.toString(request.remotePort()));
		environ.put("RAW_URI", rawUri(request));
		environ.put("wsgi.url_scheme", request.scheme());
		if (request.remoteUser() != null) {
			// RFC 3875 4.1.11: set only when the server authenticated the user.
			environ.put("REMOTE_USER", request.remoteUser());
		}
		// PEP 3333 "Specification Details": server variables go under the server's prefix.
		request.traceContext().forEach((field, value) -> environ.put("springwsgi." + field, value));
		for (Map.Entry<String, String> header : request.headers()) {
			String key = cgiName(header.getKey());
			if (key == null) {
				continue;
			}
			// PEP 3333 defers to CGI (RFC 3875 4.1.18): repeated fields are joined with ",".
			environ.merge(key, header.getValue(), (first, next) -> first + "," + next);
		}
		return environ;
	}

	/**
	 * Separates the keys and values in {@link #buildFields}: a character no latin-1 string
	 * holds, so no key or value can contain it.
	 */
	public static final char FIELD_SEPARATOR = '\uffff';

	/**
	 * Build the CGI variables as one string of alternating keys and values, separated by
	 * {@link #FIELD_SEPARATOR}: the form the Python side splits after a single crossing, where
	 * an array would cost a crossing per element.
	 * @param request the request
	 * @return keys and values, alternating
	 */
	public String buildFields(RequestHead request) {
		StringBuilder fields = new StringBuilder(512);
		build(request).forEach((key, value) -> {
			if (!fields.isEmpty()) {
				fields.append(FIELD_SEPARATOR);
			}
			fields.append(key).append(FIELD_SEPARATOR).append(value);
		});
		return fields.toString();
	}

	/**
	 * The part of the path after the mount path, percent-decoded, as latin-1 (PEP 3333,
	 * "Unicode Issues"). The mount path itself maps to {@code /}, so {@code /flask} reaches the
	 * app's root route as {@code /flask/} does, instead of a redirect or a 404.
	 */
	private String pathInfo(String rawPath) {
		String path = rawPath;
		if (!this.scriptName.isEmpty() && path.startsWith(this.scriptName)) {
			path = path.substring(this.scriptName.length());
		}
		return path.isEmpty() ? "/" : PercentDecoding.decode(path, StandardCharsets.ISO_8859_1);
	}

	private static String rawUri(RequestHead request) {
		return (request.rawQuery() != null) ? request.rawPath() + "?" + request.rawQuery() : request.rawPath();
	}

	/**
	 * The CGI variable of a header: {@code Content-Type} and {@code Content-Length} keep their
	 * own names, every other header becomes {@code HTTP_} and its name upper-cased with
	 * {@code _} for {@code -}. A header whose name holds an underscore is dropped, as
	 * gunicorn, nginx and Apache do, so {@code X_Forwarded} cannot pose as {@code X-Forwarded}.
	 * @param name the header name
	 * @return the variable name, or {@code null} to drop the header
	 */
	static String cgiName(String name) {
		if (name.indexOf('_') >= 0) {
			return null;
		}
		String upper = name.toUpperCase(Locale.ROOT).replace('-', '_');
		if (upper.equals("CONTENT_TYPE") || upper.equals("CONTENT_LENGTH")) {
			return upper;
		}
		return "HTTP_" + upper;
	}

}
