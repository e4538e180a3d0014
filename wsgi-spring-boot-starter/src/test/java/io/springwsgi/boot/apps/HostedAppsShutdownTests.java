package io.springwsgi.boot.apps;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.springwsgi.core.app.AppServer;
import io.springwsgi.core.app.WarmUp;
import io.springwsgi.core.pool.ContextPool;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the apps close when the service stops: all at once, within one deadline, and the
 * service's shutdown goes on at that deadline whatever an app still does. The apps' servers are
 * stand-ins that only close: what is tested is the order and the deadline, not Python.
 */
class HostedAppsShutdownTests {

	/** A guard against a hang, which is what these tests must tell apart from a pass. */
	private static final long PATIENCE_SECONDS = 60;

	@Test
	void appsCloseAtOnceNotOneAfterTheOther() throws Exception {
		// Each close waits until the other has begun: closing them in turn never ends.
		CountDownLatch bothClosing = new CountDownLatch(2);
		Closing first = new Closing(() -> meet(bothClosing));
		Closing second = new Closing(() -> meet(bothClosing));
		HostedApps apps = started(Duration.ofSeconds(30), first, second);
		CountDownLatch stopped = new CountDownLatch(1);
		apps.stop(stopped::countDown);
		assertThat(stopped.await(PATIENCE_SECONDS, TimeUnit.SECONDS)).as("both apps closed").isTrue();
		assertThat(bothClosing.getCount()).as("each close saw the other begin").isZero();
		assertThat(first.closed).isDone();
		assertThat(second.closed).isDone();
		assertThat(apps.isRunning()).isFalse();
	}

	@Test
	void shutdownGoesOnAtTheDeadlineWhileAnAppStillCloses() throws Exception {
		// join() ignores interrupts: this app's close never returns.
		CompletableFuture<Void> never = new CompletableFuture<>();
		Closing stuck = new Closing(never::join);
		Closing quick = new Closing(() -> {
		});
		HostedApps apps = started(Duration.ofMillis(200), stuck, quick);
		CountDownLatch stopped = new CountDownLatch(1);
		apps.stop(stopped::countDown);
		assertThat(stopped.await(PATIENCE_SECONDS, TimeUnit.SECONDS)).as("the callback ran at the deadline").isTrue();
		assertThat(quick.closed).isDone();
		assertThat(stuck.closed).isNotDone();
		assertThat(stuck.grace).as("the app was given what was left of the deadline").isLessThanOrEqualTo(
				Duration.ofMillis(200));
		never.complete(null);
	}

	private static HostedApps started(Duration shutdownTimeout, Closing... servers) {
		List<HostedApp> apps = IntStream.range(0, servers.length).mapToObj((i) -> {
			AppDefinition definition = new AppDefinition(i, "app" + i, "/app" + i, "classpath:python/app" + i, "app",
					"application", "wsgi", false, List.of(), List.of(), "10MB", Duration.ofSeconds(60),
					new AppDefinition.PoolDefinition(1, Duration.ofSeconds(30), 100, 0), 65536);
			return new HostedApp(definition, Path.of("."), WarmUp.NONE, () -> servers[i]);
		}).toList();
		apps.forEach((app) -> app.startFirst().join());
		return new HostedApps(apps, shutdownTimeout);
	}

	private static void meet(CountDownLatch others) {
		others.countDown();
		try {
			others.await(PATIENCE_SECONDS, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** A server that is loaded at once and whose close runs {@code onClose}. */
	private static final class Closing implements AppServer {

		private final Runnable onClose;

		final CompletableFuture<Void> closed = new CompletableFuture<>();

		volatile Duration grace;

		Closing(Runnable onClose) {
			this.onClose = onClose;
		}

		@Override
		public CompletableFuture<Void> startFirst() {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public CompletableFuture<Integer> warmUp(WarmUp warmUp) {
			return CompletableFuture.completedFuture(0);
		}

		@Override
		public ContextPool pool() {
			throw new UnsupportedOperationException("a stand-in has no pool");
		}

		@Override
		public String name() {
			return "stand-in";
		}

		@Override
		public void close(Duration grace) {
			this.grace = grace;
			this.onClose.run();
			this.closed.complete(null);
		}

	}

}
