package io.springwsgi.core.python;

import java.time.Duration;

/**
 * A Python app loaded into its contexts and serving one protocol: what a host starts, reloads
 * and closes without caring whether it speaks WSGI or ASGI.
 */
public interface AppServer extends AutoCloseable {

	/**
	 * Create the contexts and load the app into each.
	 * @throws AppLoadException if the app cannot be loaded
	 */
	void start();

	/**
	 * The app's name.
	 * @return the name
	 */
	String name();

	/**
	 * Refuse new requests, let running ones finish within {@code grace}, then close the
	 * contexts.
	 * @param grace how long running requests may take
	 */
	void close(Duration grace);

	@Override
	void close();

}
