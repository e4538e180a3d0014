package io.springwsgi.boot.web;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.mock.web.reactive.function.server.MockServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;

class StartingAppHandlerFunctionTests {

	private final CompletableFuture<Void> serving = new CompletableFuture<>();

	private final AtomicInteger waiting = new AtomicInteger();

	private final StartingAppHandlerFunction handler = new StartingAppHandlerFunction("app", () -> this.serving,
			Duration.ofMinutes(10), (request) -> ServerResponse.ok().build(), this.waiting, 2);

	@Test
	void requestsPastMaxWaitingAre503AtOnceWhileTheAppLoads() throws Exception {
		CompletableFuture<ServerResponse> first = this.handler.handle(MockServerRequest.builder().build()).toFuture();
		CompletableFuture<ServerResponse> second = this.handler.handle(MockServerRequest.builder().build()).toFuture();
		// A hang guard, far below the 10-minute wait the first two are allowed.
		ServerResponse third = this.handler.handle(MockServerRequest.builder().build()).block(Duration.ofMinutes(1));
		assertThat(third.statusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(third.headers().getFirst("Retry-After")).isNotNull();
		assertThat(this.waiting).hasValue(2);
		this.serving.complete(null);
		assertThat(first.get(1, TimeUnit.MINUTES).statusCode()).isEqualTo(HttpStatus.OK);
		assertThat(second.get(1, TimeUnit.MINUTES).statusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.waiting).hasValue(0);
	}

}
