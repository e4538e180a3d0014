package io.springwsgi.boot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import io.springwsgi.boot.apps.HostedApp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The debug-reload check of the WSGI and ASGI end-to-end suites, for a debug app whose
 * {@code /loaded} answers a fresh hex id each time its module is imported.
 */
final class DebugReloadCheck {

	private static final String LOADED_ID = "[0-9a-f]{32}";

	private DebugReloadCheck() {
	}

	/**
	 * Adding a file to the app's directory reloads it, and so does deleting the file again;
	 * returns once the second reload has happened, so no other test sees it.
	 * @param app the app
	 * @param loaded reads the app's {@code /loaded}
	 */
	static void assertReloadsWhenAFileChanges(HostedApp app, Callable<String> loaded) throws Exception {
		String before = loaded.call();
		Path added = app.directory().resolve("added_by_test.py");
		Files.writeString(added, "ADDED = True\n");
		String afterAdding;
		try {
			afterAdding = awaitOtherThan(loaded, before);
		}
		finally {
			Files.delete(added);
		}
		awaitOtherThan(loaded, afterAdding);
	}

	private static String awaitOtherThan(Callable<String> loaded, String previous) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		String current;
		do {
			current = loaded.call();
		}
		while ((current.equals(previous) || !current.matches(LOADED_ID)) && System.nanoTime() < deadline);
		assertThat(current).matches(LOADED_ID).isNotEqualTo(previous);
		return current;
	}

}
