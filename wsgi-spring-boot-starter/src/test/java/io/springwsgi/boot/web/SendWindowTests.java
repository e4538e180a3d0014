package io.springwsgi.boot.web;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SendWindowTests {

	private final SendWindow window = new SendWindow(100);

	private final AtomicInteger resumed = new AtomicInteger();

	@Test
	void senderGoesOnWhileTheWindowHoldsWhatWaits() {
		this.window.added(100);
		assertThat(this.window.fallenBehind(this.resumed::incrementAndGet)).isFalse();
	}

	@Test
	void senderPausedPastTheWindowResumesOnceHalfOfItIsFree() {
		this.window.added(150);
		assertThat(this.window.fallenBehind(this.resumed::incrementAndGet)).isTrue();
		this.window.taken(90);
		assertThat(this.resumed).hasValue(0);
		this.window.taken(10);
		assertThat(this.resumed).hasValue(1);
		this.window.taken(50);
		assertThat(this.resumed).hasValue(1);
	}

}
