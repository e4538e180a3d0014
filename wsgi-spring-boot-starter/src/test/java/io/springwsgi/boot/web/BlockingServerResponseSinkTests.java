package io.springwsgi.boot.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The blocking sink as the Python thread sees it: a write waits for the client, and whatever
 * ends the response also ends that wait.
 */
class BlockingServerResponseSinkTests {

	private final BlockingServerResponseSink sink = new BlockingServerResponseSink(DefaultDataBufferFactory.sharedInstance,
			Schedulers.immediate());

	@Test
	void abortWakesAWriteWaitingForTheClient() throws Exception {
		this.sink.start(200, "OK", List.of());
		CompletableFuture<Void> writing = waitingWrite();

		this.sink.abort(new IOException("request timed out"));

		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> writing.get(1, TimeUnit.MINUTES))
			.withRootCauseInstanceOf(IOException.class);
	}

	@Test
	void writeAfterAnAbortFailsAtOnce() throws Exception {
		this.sink.start(200, "OK", List.of());
		this.sink.abort(new IOException("request timed out"));

		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> waitingWrite().get(1, TimeUnit.MINUTES))
			.withRootCauseInstanceOf(IOException.class);
	}

	@Test
	void clientLeavingWakesAWriteWaitingForIt() throws Exception {
		this.sink.start(200, "OK", List.of());
		CompletableFuture<Void> writing = waitingWrite();

		this.sink.clientGone();

		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> writing.get(1, TimeUnit.MINUTES))
			.withRootCauseInstanceOf(IOException.class)
			.withMessageContaining("closed the connection");
	}

	/**
	 * A write before anyone subscribed to the body, so it waits for demand; on a thread of its
	 * own, so a write that never returns holds up no other test.
	 */
	private CompletableFuture<Void> waitingWrite() {
		return CompletableFuture.runAsync(() -> {
			try {
				this.sink.write(new byte[] { 1 });
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}, (task) -> Thread.ofPlatform().daemon().start(task));
	}

}
