package io.springwsgi.core.wsgi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.graalvm.polyglot.HostAccess;

/**
 * The Java half of {@code wsgi.input}: reads the request body as it arrives and enforces the
 * app's body limit. The Python half ({@code _springwsgi.wsgi.Input}) buffers and splits lines.
 */
public final class WsgiInput {

	private final InputStream body;

	private final long limit;

	private final Runnable onTooLarge;

	private long read;

	private String failure;

	private boolean tooLarge;

	/**
	 * Create the input.
	 * @param body the request body
	 * @param limit the most bytes the app may receive, or a negative number for no limit
	 * @param onTooLarge run once, on the app's thread, when the body goes past the limit and
	 * before the app hears of it
	 */
	public WsgiInput(InputStream body, long limit, Runnable onTooLarge) {
		this.body = body;
		this.limit = limit;
		this.onTooLarge = onTooLarge;
	}

	/**
	 * Read up to {@code max} bytes, blocking until at least one is there.
	 * @param max the most bytes to return
	 * @return the bytes as a latin-1 string (one char per byte), {@code ""} at the end of the
	 * body, or {@code null} if reading failed ({@link #failure()} says why)
	 */
	@HostAccess.Export
	public String read(int max) {
		if (this.failure != null) {
			return null;
		}
		byte[] buffer = new byte[Math.max(1, max)];
		int count;
		try {
			count = this.body.read(buffer, 0, buffer.length);
		}
		catch (IOException ex) {
			this.failure = "reading the request body failed: " + ex.getMessage();
			return null;
		}
		if (count < 0) {
			return "";
		}
		this.read += count;
		if (this.limit >= 0 && this.read > this.limit) {
			this.tooLarge = true;
			this.failure = "the request body exceeds the limit of " + this.limit + " bytes";
			this.onTooLarge.run();
			return null;
		}
		return new String(buffer, 0, count, StandardCharsets.ISO_8859_1);
	}

	/**
	 * Why the last read failed.
	 * @return the reason, or {@code null}
	 */
	@HostAccess.Export
	public String failure() {
		return this.failure;
	}

	/**
	 * Whether the body turned out larger than the limit while the app read it.
	 * @return {@code true} if it did
	 */
	public boolean isTooLarge() {
		return this.tooLarge;
	}

}
