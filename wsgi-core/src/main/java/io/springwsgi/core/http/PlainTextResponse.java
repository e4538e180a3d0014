package io.springwsgi.core.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The bridge's own answers, where the app cannot give one (413, 500, 503, 504): a short
 * plain-text body saying what happened.
 */
public final class PlainTextResponse {

	private PlainTextResponse() {
	}

	/**
	 * Send a whole plain-text response.
	 * @param sink where the response goes
	 * @param status the status code
	 * @param reason the reason phrase, or {@code ""}
	 * @param message the body, one line
	 * @param extraHeaders headers besides {@code Content-Type} and {@code Content-Length}
	 */
	public static void send(ResponseSink sink, int status, String reason, String message,
			List<Map.Entry<String, String>> extraHeaders) {
		byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
		List<Map.Entry<String, String>> headers = new ArrayList<>(extraHeaders);
		headers.add(Map.entry("Content-Type", "text/plain; charset=utf-8"));
		headers.add(Map.entry("Content-Length", Integer.toString(body.length)));
		sink.respond(status, reason, headers, body);
	}

}
