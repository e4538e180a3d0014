package io.springwsgi.core.wsgi;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.springwsgi.core.http.RecordingSink;
import io.springwsgi.core.http.Requests;
import io.springwsgi.core.pool.PoolConfig;
import io.springwsgi.core.python.NativeModuleCopies;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every context of every app on the shared engine can use the standard library's native
 * modules ({@code stdlib_everywhere.py}): GraalPy loads each native library once per process,
 * so without a copy per context only the first context that asks gets one.
 */
class NativeModulesTests {

	private static final int CONTEXTS = 3;

	@Test
	void everyContextOfTwoAppsUsesTheNativeStandardLibraryModules() throws Exception {
		// Each context ran the checks at import already: a failure there fails start().
		WsgiApplication first = TestApps.shared("stdlib-a", "stdlib_everywhere", PoolConfig.ofSize(CONTEXTS),
				WsgiOptions.mountedAt("/a"));
		WsgiApplication second = TestApps.shared("stdlib-b", "stdlib_everywhere", PoolConfig.ofSize(CONTEXTS),
				WsgiOptions.mountedAt("/b"));
		List<Map<String, String>> answers = new ArrayList<>(answersFromEveryContext(first));
		answers.addAll(answersFromEveryContext(second));
		assertThat(answers).extracting((answer) -> answer.remove("context")).doesNotHaveDuplicates()
			.hasSize(2 * CONTEXTS);
		for (Map<String, String> checks : answers) {
			assertThat(checks).containsOnlyKeys("termios", "sqlite3", "xml.etree", "expat", "minidom", "unicodedata", "sha3", "idna",
						"sre")
				.allSatisfy((name, result) -> assertThat(result).as(String.valueOf(name)).isEqualTo("ok"));
		}
		// The copies GraalPy made for these contexts are what the start-up sweep knows as in use.
		assertThat(NativeModuleCopies.copies(Path.of(System.getProperty("java.io.tmpdir"))))
			.containsAnyElementsOf(NativeModuleCopies.mappedDirectories(Path.of("/proc")));
	}

	@Test
	void pythonCodeCannotStartProcessesThoughGraalPyRunsPatchelf() {
		WsgiApplication app = TestApps.shared("stdlib-a", "stdlib_everywhere", PoolConfig.ofSize(CONTEXTS),
				WsgiOptions.mountedAt("/a"));
		RecordingSink response = TestApps.exchange(app, Requests.get("/subprocess").build());
		// Python gets an OSError; the app's log (at DEBUG) says what it tried, and why it may not.
		assertThat(response.bodyText()).startsWith("OSError").contains("'true'").doesNotContain("started");
	}

	/**
	 * One request per context: each request's body holds it in Python until all of them have
	 * started, so no two can share a context.
	 */
	private static List<Map<String, String>> answersFromEveryContext(WsgiApplication app) throws Exception {
		CountDownLatch allStarted = new CountDownLatch(CONTEXTS);
		List<RecordingSink> sinks = new ArrayList<>();
		List<CompletableFuture<Void>> requests = new ArrayList<>();
		for (int i = 0; i < CONTEXTS; i++) {
			RecordingSink sink = new RecordingSink();
			sinks.add(sink);
			requests.add(app.handle(Requests.post("/").build(), new BarrierBody(allStarted), sink));
		}
		List<Map<String, String>> answers = new ArrayList<>();
		for (int i = 0; i < CONTEXTS; i++) {
			requests.get(i).get(2, TimeUnit.MINUTES);
			RecordingSink sink = sinks.get(i);
			sink.done.get(10, TimeUnit.SECONDS);
			assertThat(sink.status).as(sink.bodyText()).isEqualTo(200);
			Map<String, String> answer = new LinkedHashMap<>();
			sink.bodyText().lines().map((line) -> line.split("=", 2)).forEach((pair) -> answer.put(pair[0], pair[1]));
			answers.add(answer);
		}
		return answers;
	}

	/** An empty body whose first read waits until every request of its round is reading. */
	private static final class BarrierBody extends InputStream {

		private final CountDownLatch allStarted;

		BarrierBody(CountDownLatch allStarted) {
			this.allStarted = allStarted;
		}

		@Override
		public int read() {
			return read(new byte[1], 0, 1);
		}

		@Override
		public int read(byte[] buffer, int offset, int length) {
			this.allStarted.countDown();
			try {
				if (!this.allStarted.await(2, TimeUnit.MINUTES)) {
					throw new IllegalStateException("not every context took a request");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return -1;
		}

	}

}
