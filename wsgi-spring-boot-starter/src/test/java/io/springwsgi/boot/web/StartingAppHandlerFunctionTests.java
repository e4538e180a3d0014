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

	private final StartingAppHandlerFunction function = new StartingAppHandlerFunction("flask", () -> this.serving,
			Duration.ofMinutes(1), 2, (request) -> ServerResponse.ok().build(), this.waiting);

	private CompletableFuture<ServerResponse> request() {
		return this.function.handle(MockServerRequest.builder().build()).toFuture();
	}

	@Test
	void requestsPastTheWaitingLimitAre503AtOnceWhileTheFirstContextLoads() throws Exception {
		CompletableFuture<ServerResponse> first = request();
		CompletableFuture<ServerResponse> second = request();
		CompletableFuture<ServerResponse> third = request();
		// Answered on subscription, without waiting for the acquire timeout.
		assertThat(third).isDone();
		assertThat(third.get().statusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(third.get().headers().getFirst("Retry-After")).isEqualTo("60");
		assertThat(this.waiting).hasValue(2);
		this.serving.complete(null);
		assertThat(first.get(1, TimeUnit.MINUTES).statusCode()).isEqualTo(HttpStatus.OK);
		assertThat(second.get(1, TimeUnit.MINUTES).statusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.waiting).hasValue(0);
	}

}
