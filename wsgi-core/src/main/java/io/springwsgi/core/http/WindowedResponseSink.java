package io.springwsgi.core.http;

import java.io.IOException;

/**
 * A sink for a sender that must never block, such as an ASGI app on its context's event
 * loop: {@link #write} buffers and returns at once, and once the client has fallen a window
 * behind the sender is asked to pause until the sink resumes it.
 */
public interface WindowedResponseSink extends ResponseSink {

	/**
	 * A chunk of the body; never blocks.
	 * @param chunk the bytes, owned by the sink from now on
	 * @throws IOException if the client has gone away
	 */
	@Override
	void write(byte[] chunk) throws IOException;

	/**
	 * Whether the client has fallen so far behind that the sender should stop writing until
	 * {@code resume} runs.
	 * @param resume what to run, once and from any thread, when the client has caught up;
	 * kept only when this returns {@code true}
	 * @return whether to wait for {@code resume} before the next write
	 */
	boolean fallenBehind(Runnable resume);

}
