package io.springwsgi.core.wsgi;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WsgiInputTests {

	@Test
	void readOfAHugeSizeAsksTheBodyForAtMostOneChunk() {
		RecordingBody body = new RecordingBody(new byte[100]);
		new WsgiInput(body, -1, () -> {
		}).read(1 << 30);
		assertThat(body.lengths).singleElement().satisfies((length) -> assertThat(length).isLessThanOrEqualTo(65536));
	}

	@Test
	void readAsksForNoMoreThanOneByteOverTheLimit() {
		RecordingBody body = new RecordingBody(new byte[100]);
		new WsgiInput(body, 10, () -> {
		}).read(8192);
		assertThat(body.lengths).containsExactly(11);
	}

	@Test
	void bodyPastTheLimitFailsTheRead() {
		WsgiInput input = new WsgiInput(new ByteArrayInputStream(new byte[100]), 10, () -> {
		});
		assertThat(input.read(8192)).isNull();
		assertThat(input.isTooLarge()).isTrue();
		assertThat(input.failure()).isEqualTo("the request body exceeds the limit of 10 bytes");
	}

	@Test
	void readsReturnTheBodyInOrder() {
		WsgiInput input = new WsgiInput(new ByteArrayInputStream("hello world".getBytes()), -1, () -> {
		});
		assertThat(input.read(5)).isEqualTo("hello");
		assertThat(input.read(100)).isEqualTo(" world");
		assertThat(input.read(100)).isEmpty();
	}

	/** A body that records how many bytes each read asked for. */
	private static final class RecordingBody extends ByteArrayInputStream {

		final List<Integer> lengths = new CopyOnWriteArrayList<>();

		RecordingBody(byte[] bytes) {
			super(bytes);
		}

		@Override
		public synchronized int read(byte[] buffer, int offset, int length) {
			this.lengths.add(length);
			return super.read(buffer, offset, length);
		}

	}

}
