package io.springwsgi.boot.web;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The windowed sink as an ASGI app's {@code send} sees it.
 */
class WindowedServerResponseSinkTests {

	private final WindowedServerResponseSink sink = new WindowedServerResponseSink(DefaultDataBufferFactory.sharedInstance,
			Schedulers.immediate());

	@Test
	void abortRunsTheResumeOfASendWaitingForTheClient() throws Exception {
		this.sink.start(200, "OK", List.of());
		this.sink.write(new byte[(int) WindowedServerResponseSink.WINDOW + 1]);
		CompletableFuture<Void> resumed = new CompletableFuture<>();
		assertThat(this.sink.fallenBehind(() -> resumed.complete(null))).isTrue();

		this.sink.abort(new IOException("request timed out"));

		resumed.get(1, TimeUnit.MINUTES);
	}

}
