package io.springwsgi.core.pool;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.springwsgi.core.app.AppLoadException;
import io.springwsgi.core.app.PythonApp;
import io.springwsgi.core.http.RecordingSink;
import io.springwsgi.core.http.Requests;
import io.springwsgi.core.wsgi.TestApps;
import io.springwsgi.core.wsgi.WsgiApplication;
import io.springwsgi.core.wsgi.WsgiOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.springwsgi.core.wsgi.TestApps.exchange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The context pool as requests see it, through {@link WsgiApplication}, so refusals are checked
 * as the 503 and 504 they become. {@code pooled.py} reports which context answered; each pool
 * shape is one shared app, used by one test unless said otherwise.
 */
class ExclusiveContextPoolTests {

	private static final Pattern CONTEXT = Pattern.compile("\"context\": \"(\\w+)\"");

	private static final Pattern TIME = Pattern.compile("\"(start|end)\": ([0-9.]+)");

	@Test
	void twoContextsServeTwoRequestsAtTheSameTime() throws Exception {
		WsgiApplication app = TestApps.shared("pooled-pair", "pooled", PoolConfig.ofSize(2), mountedAtRoot());
		RecordingSink first = new RecordingSink();
		RecordingSink second = new RecordingSink();
		CompletableFuture.allOf(app.handle(Requests.get("/interval?1").build(), emptyBody(), first),
				app.handle(Requests.get("/interval?1").build(), emptyBody(), second))
			.get(1, TimeUnit.MINUTES);
		Interval a = Interval.of(first);
		Interval b = Interval.of(second);
		assertThat(a.context()).isNotEqualTo(b.context());
		assertThat(a.start()).as("first started before second ended").isLessThan(b.end());
		assertThat(b.start()).as("second started before first ended").isLessThan(a.end());
	}

	@Test
	void requestWaitingPastTheAcquireTimeoutGets503WithRetryAfter() throws Exception {
		// Long enough for the checks made while the second request waits to run before it expires.
		WsgiApplication app = TestApps.shared("pooled-busy", "pooled",
				PoolConfig.ofSize(1).withAcquireTimeout(Duration.ofSeconds(1)), mountedAtRoot());
		ExclusiveContextPool pool = app.pool();
		HeldBody held = new HeldBody();
		RecordingSink holder = new RecordingSink();
		CompletableFuture<Void> holding = app.handle(Requests.post("/hold").build(), held, holder);
		try {
			held.reading.get(1, TimeUnit.MINUTES);
			assertThat(pool.statistics().active()).isOne();
			assertThat(pool.statistics().waiting()).isZero();

			RecordingSink refused = new RecordingSink();
			CompletableFuture<Void> waiting = app.handle(Requests.get("/").build(), emptyBody(), refused);
			assertThat(waiting).isNotDone();
			assertThat(pool.statistics().waiting()).isOne();
			waiting.get(1, TimeUnit.MINUTES);
			assertThat(refused.status).isEqualTo(503);
			assertThat(refused.header("Retry-After")).isEqualTo("1");
			assertThat(pool.statistics().waiting()).isZero();
		}
		finally {
			held.release();
		}
		holding.get(1, TimeUnit.MINUTES);
		assertThat(holder.status).isEqualTo(200);
	}

	@Test
	void poolWithoutWaitingRoomRefusesAtOnceWhenBusy() throws Exception {
		WsgiApplication app = TestApps.shared("pooled-no-queue", "pooled", PoolConfig.ofSize(1).withMaxWaiting(0),
				mountedAtRoot());
		HeldBody held = new HeldBody();
		CompletableFuture<Void> holding = app.handle(Requests.post("/hold").build(), held, new RecordingSink());
		try {
			held.reading.get(1, TimeUnit.MINUTES);
			RecordingSink refused = new RecordingSink();
			CompletableFuture<Void> refusal = app.handle(Requests.get("/").build(), emptyBody(), refused);
			assertThat(refusal).as("answered without waiting").isDone();
			assertThat(refused.status).isEqualTo(503);
			assertThat(refused.header("Retry-After")).isNotNull();
			assertThat(app.pool().statistics().waiting()).isZero();
		}
		finally {
			held.release();
		}
		holding.get(1, TimeUnit.MINUTES);
	}

	@Test
	void waitingRequestWhoseClientLeftNeverRuns() throws Exception {
		WsgiApplication app = TestApps.shared("pooled-withdrawn", "pooled",
				PoolConfig.ofSize(1).withAcquireTimeout(Duration.ofMinutes(1)), mountedAtRoot());
		HeldBody held = new HeldBody();
		CompletableFuture<Void> holding = app.handle(Requests.post("/hold").build(), held, new RecordingSink());
		try {
			held.reading.get(1, TimeUnit.MINUTES);
			CompletableFuture<Void> left = app.handle(Requests.get("/count").build(), emptyBody(), new RecordingSink());
			assertThat(app.pool().statistics().waiting()).isOne();

			left.cancel(false);
			assertThat(app.pool().statistics().waiting()).isZero();
		}
		finally {
			held.release();
		}
		holding.get(1, TimeUnit.MINUTES);
		assertThat(exchange(app, Requests.get("/count").build()).bodyText()).contains("\"count\": 1}");
	}

	@Test
	void requestPastTheRequestTimeoutGets504AndItsContextIsReplaced() {
		// A generous acquire timeout: the request after the 504 waits while the context is replaced.
		WsgiApplication app = TestApps.shared("pooled-timeout", "pooled",
				PoolConfig.ofSize(1).withAcquireTimeout(Duration.ofMinutes(1)),
				mountedAtRoot().withRequestTimeout(Duration.ofSeconds(2)));
		String before = contextOf(exchange(app, Requests.get("/").build()));

		RecordingSink spin = exchange(app, Requests.get("/spin").build());
		assertThat(spin.status).isEqualTo(504);
		assertThat(spin.bodyText()).contains("did not answer within PT2S");

		RecordingSink next = exchange(app, Requests.get("/").build());
		assertThat(next.status).isEqualTo(200);
		assertThat(contextOf(next)).isNotEqualTo(before);
		assertThat(app.pool().statistics().replaced()).isOne();
	}

	@Test
	void requestThatCannotBeStoppedIsAnsweredAtItsDeadlineAndItsContextAbandoned() throws Exception {
		WsgiApplication app = TestApps.shared("pooled-slow-cancel", "pooled",
				PoolConfig.ofSize(1).withAcquireTimeout(Duration.ofMinutes(1)),
				mountedAtRoot().withRequestTimeout(Duration.ofMillis(500)));
		String before = contextOf(exchange(app, Requests.get("/").build()));
		HeldBody started = new HeldBody();
		started.release();
		RecordingSink sleeping = new RecordingSink();
		// GraalPy 25.0 cannot cancel time.sleep(<float>) before it returns: 60 s here.
		CompletableFuture<Void> sleeper = app.handle(Requests.post("/nap?60.0").build(), started, sleeping);
		started.reading.get(1, TimeUnit.MINUTES);

		sleeper.get(30, TimeUnit.SECONDS);
		assertThat(sleeping.status).isEqualTo(504);
		assertThat(sleeping.events).containsExactly("respond 504");

		RecordingSink next = exchange(app, Requests.get("/").build());
		assertThat(contextOf(next)).isNotEqualTo(before);
		assertThat(app.pool().statistics().abandoned()).isOne();
	}

	@Test
	void requestParkedInJavaPastTheTimeoutIsAbandonedAndTheSlotServesAgain() throws Exception {
		WsgiApplication app = TestApps.shared("pooled-parked", "pooled",
				PoolConfig.ofSize(1).withAcquireTimeout(Duration.ofMinutes(1)),
				mountedAtRoot().withRequestTimeout(Duration.ofMillis(500)));
		String before = contextOf(exchange(app, Requests.get("/").build()));
		HeldBody held = new HeldBody();
		try {
			RecordingSink holder = new RecordingSink();
			app.handle(Requests.post("/hold").build(), held, holder).get(1, TimeUnit.MINUTES);
			assertThat(holder.status).isEqualTo(504);

			RecordingSink next = exchange(app, Requests.get("/").build());
			assertThat(contextOf(next)).isNotEqualTo(before);
			assertThat(app.pool().statistics().abandoned()).isOne();
		}
		finally {
			held.release();
		}
	}

	@Test
	void requestParkedInAnInterruptibleWaitIsWokenAndItsContextKept() throws Exception {
		WsgiApplication app = TestApps.shared("pooled-interruptible", "pooled",
				PoolConfig.ofSize(1).withAcquireTimeout(Duration.ofMinutes(1)),
				mountedAtRoot().withRequestTimeout(Duration.ofMillis(500)));
		String before = contextOf(exchange(app, Requests.get("/").build()));
		RecordingSink holder = new RecordingSink();
		app.handle(Requests.post("/hold").build(), new InterruptibleBody(), holder).get(1, TimeUnit.MINUTES);
		assertThat(holder.status).isEqualTo(504);

		RecordingSink next = exchange(app, Requests.get("/").build());
		assertThat(contextOf(next)).isEqualTo(before);
		assertThat(app.pool().statistics().replaced()).isZero();
	}

	@Test
	void closeReturnsByItsDeadlineWhenARequestIsParkedInJava() throws Exception {
		// Not shared: this test closes its app.
		WsgiApplication app = new WsgiApplication(TestApps.ENGINE, TestApps.app("pooled-close-parked", "pooled",
				"application"), PoolConfig.ofSize(1), mountedAtRoot());
		app.start();
		HeldBody held = new HeldBody();
		try {
			app.handle(Requests.post("/hold").build(), held, new RecordingSink());
			held.reading.get(1, TimeUnit.MINUTES);

			CompletableFuture.runAsync(() -> app.close(Duration.ofMillis(200)),
					(task) -> Thread.ofPlatform().daemon().start(task))
				.get(1, TimeUnit.MINUTES);
		}
		finally {
			held.release();
		}
	}

	@Test
	void contextIsReplacedAfterItsMaximumNumberOfRequests() {
		WsgiApplication app = TestApps.shared("pooled-recycled", "pooled",
				PoolConfig.ofSize(1).withAcquireTimeout(Duration.ofMinutes(1)).withMaxRequestsPerContext(2),
				mountedAtRoot());
		String first = contextOf(exchange(app, Requests.get("/").build()));
		String second = contextOf(exchange(app, Requests.get("/").build()));
		String third = contextOf(exchange(app, Requests.get("/").build()));
		assertThat(second).isEqualTo(first);
		assertThat(third).isNotEqualTo(first);
		assertThat(app.pool().statistics().replaced()).isOne();
	}

	@Test
	void closingLetsTheRunningRequestFinishThenRefusesNewOnes() throws Exception {
		// Not shared: this test closes its app.
		WsgiApplication app = new WsgiApplication(TestApps.ENGINE, TestApps.app("pooled-closing", "pooled", "application"),
				PoolConfig.ofSize(1), mountedAtRoot());
		app.start();
		HeldBody held = new HeldBody();
		RecordingSink running = new RecordingSink();
		CompletableFuture<Void> request = app.handle(Requests.post("/hold").build(), held, running);
		held.reading.get(1, TimeUnit.MINUTES);

		CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> app.close(Duration.ofMinutes(1)));
		RecordingSink late = exchange(app, Requests.get("/").build());
		assertThat(late.status).as("a request after close began").isEqualTo(503);
		assertThat(closing).as("close waits for the running request").isNotDone();

		held.release();
		request.get(1, TimeUnit.MINUTES);
		closing.get(1, TimeUnit.MINUTES);
		assertThat(running.status).isEqualTo(200);
		assertThat(app.pool().statistics().ready()).as("contexts closed").isZero();
	}

	@Test
	void poolThatFailsToStartClosesWhatItCreated(@TempDir Path temp) throws Exception {
		// Not shared: it never starts. Its second context fails to import.
		PythonApp definition = TestApps.app("fails-after-first", "fails_after_first", "application")
			.withEnvironment(Map.of("FAILS_AFTER_FIRST_MARKER", temp.resolve("loaded").toString()));
		WsgiApplication app = new WsgiApplication(TestApps.ENGINE, definition, PoolConfig.ofSize(2), mountedAtRoot());

		assertThatExceptionOfType(AppLoadException.class).isThrownBy(app::start);

		assertThat(app.pool().statistics().ready()).isZero();
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			if (thread.getName().startsWith("python-fails-after-first-")) {
				thread.join(TimeUnit.MINUTES.toMillis(1));
				assertThat(thread.isAlive()).as(thread.getName()).isFalse();
			}
		}
	}

	private static WsgiOptions mountedAtRoot() {
		return WsgiOptions.mountedAt("");
	}

	private static InputStream emptyBody() {
		return new ByteArrayInputStream(new byte[0]);
	}

	private static String contextOf(RecordingSink response) {
		assertThat(response.status).as(response.bodyText()).isEqualTo(200);
		Matcher matcher = CONTEXT.matcher(response.bodyText());
		assertThat(matcher.find()).as(response.bodyText()).isTrue();
		return matcher.group(1);
	}

	/** What {@code /interval} reports: the context and its {@code time.monotonic()} on entry and exit. */
	private record Interval(String context, double start, double end) {

		static Interval of(RecordingSink response) {
			String context = contextOf(response);
			double start = 0;
			double end = 0;
			Matcher matcher = TIME.matcher(response.bodyText());
			while (matcher.find()) {
				double value = Double.parseDouble(matcher.group(2));
				if (matcher.group(1).equals("start")) {
					start = value;
				}
				else {
					end = value;
				}
			}
			assertThat(end).as(response.bodyText()).isGreaterThan(start);
			return new Interval(context, start, end);
		}

	}

	/**
	 * A request body that never arrives, read in a wait that an interrupt ends, as the
	 * server's own waits for the client are.
	 */
	private static final class InterruptibleBody extends InputStream {

		@Override
		public int read() throws IOException {
			return read(new byte[1], 0, 1);
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			try {
				new CompletableFuture<Void>().get();
				return -1;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new InterruptedIOException("interrupted while waiting for the client");
			}
			catch (ExecutionException ex) {
				throw new IOException(ex);
			}
		}

	}

	/**
	 * A request body that arrives only when the test says so, so a request to {@code /hold}
	 * keeps its context for exactly as long as the test needs. Its wait ignores interrupts,
	 * like a thread parked in code that GraalPy cannot stop.
	 */
	private static final class HeldBody extends InputStream {

		final CompletableFuture<Void> reading = new CompletableFuture<>();

		private final CompletableFuture<Void> released = new CompletableFuture<>();

		void release() {
			this.released.complete(null);
		}

		@Override
		public int read() {
			return read(new byte[1], 0, 1);
		}

		@Override
		public int read(byte[] buffer, int offset, int length) {
			this.reading.complete(null);
			this.released.join();
			return -1;
		}

	}

}
