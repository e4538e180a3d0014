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

	/** The most bytes one read asks the body for, whatever size the app asked for. */
	static final int MAX_READ = 65536;

	private final InputStream body;

	private final long limit;

	private final Runnable onTooLarge;

	private long read;

	private String failure;

	private boolean tooLarge;

	/** Reused from read to read, as large as the largest read so far. */
	private byte[] buffer = new byte[0];

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
	 * Read up to {@code max} bytes, blocking until at least one is there; never more than
	 * {@link #MAX_READ} at once, so {@code read(2**30)} does not allocate a gigabyte.
	 * @param max the most bytes to return
	 * @return the bytes as a latin-1 string (one char per byte), {@code ""} at the end of the
	 * body, or {@code null} if reading failed ({@link #failure()} says why)
	 */
	@HostAccess.Export
	public String read(int max) {
		if (this.failure != null) {
			return null;
		}
		int wanted = Math.max(1, Math.min(max, MAX_READ));
		if (this.limit >= 0) {
			// One byte past the limit tells that the body is too large.
			wanted = (int) Math.min(wanted, this.limit - this.read + 1);
		}
		if (this.buffer.length < wanted) {
			this.buffer = new byte[wanted];
		}
		int count;
		try {
			count = this.body.read(this.buffer, 0, wanted);
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
		return new String(this.buffer, 0, count, StandardCharsets.ISO_8859_1);
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
