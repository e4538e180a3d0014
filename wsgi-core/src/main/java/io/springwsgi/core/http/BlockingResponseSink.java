package io.springwsgi.core.http;

import java.io.IOException;

/**
 * A sink for a sender that has a thread of its own, such as a WSGI app on its context's
 * thread: {@link #write} waits for the client, so a slow client slows the app down rather
 * than filling the heap.
 */
public interface BlockingResponseSink extends ResponseSink {

	/**
	 * A chunk of the body; blocks until the client has taken earlier chunks.
	 * @param chunk the bytes, owned by the sink from now on
	 * @throws IOException if the client has gone away
	 */
	@Override
	void write(byte[] chunk) throws IOException;

}
