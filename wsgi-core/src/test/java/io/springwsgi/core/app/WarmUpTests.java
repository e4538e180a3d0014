package io.springwsgi.core.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class WarmUpTests {

	@Test
	void requestLineIsAMethodAndATargetBelowTheMountPath() {
		assertThat(WarmUp.method("get /posts?limit=1")).isEqualTo("GET");
		assertThat(WarmUp.target("GET  /posts?limit=1 ")).isEqualTo("/posts?limit=1");
	}

	@Test
	void requestLineWithoutAMethodOrAbsolutePathIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new WarmUp(List.of("/posts"), 1, Duration.ofSeconds(1)))
			.withMessageContaining("'GET /posts'");
		assertThatIllegalArgumentException().isThrownBy(() -> WarmUp.method("GET posts"));
	}

	@Test
	void eachContextReplaysTheListRoundsTimesInOrder() {
		List<String> sent = new ArrayList<>();
		WarmUp warmUp = new WarmUp(List.of("GET /a", "POST /b"), 2, Duration.ofMinutes(1));

		int replayed = warmUp.run("app", 2, (context, method, target) -> {
			synchronized (sent) {
				sent.add(context + " " + method + " " + target);
			}
			return CompletableFuture.completedFuture(200);
		}).join();

		assertThat(replayed).isEqualTo(8);
		assertThat(sent.stream().filter((line) -> line.startsWith("0 "))).containsExactly("0 GET /a", "0 POST /b",
				"0 GET /a", "0 POST /b");
		assertThat(sent.stream().filter((line) -> line.startsWith("1 "))).hasSize(4);
	}

	@Test
	void contextStopsWarmingUpOnA503() {
		List<String> sent = new ArrayList<>();
		new WarmUp(List.of("GET /a"), 5, Duration.ofMinutes(1)).run("app", 1, (context, method, target) -> {
			sent.add(target);
			return CompletableFuture.completedFuture(503);
		}).join();

		assertThat(sent).hasSize(1);
	}

	@Test
	void nothingIsSentWithoutRequests() {
		assertThat(WarmUp.NONE.isEnabled()).isFalse();
		assertThat(WarmUp.NONE.run("app", 2, (context, method, target) -> {
			throw new AssertionError("nothing to send");
		}).join()).isZero();
	}

}
