package io.springwsgi.boot.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Request bodies read whole before the app runs: small ones in memory, large ones in a file
 * that lives as long as the request.
 */
class BufferedRequestBodyTests {

	private static final Duration HANG_GUARD = Duration.ofMinutes(1);

	@TempDir
	Path spool;

	@Test
	void smallBodyStaysInMemory() throws Exception {
		try (BufferedRequestBody body = read(body(2, 1024), -1); InputStream in = body.open()) {
			assertThat(in.readAllBytes()).isEqualTo(bytes(2, 1024));
			assertThat(files()).isEmpty();
		}
	}

	@Test
	void largeBodyIsSpooledToAFileDeletedWhenTheRequestIsDone() throws Exception {
		int chunks = 3 * BufferedRequestBody.MEMORY_THRESHOLD / 65536;
		try (BufferedRequestBody body = read(body(chunks, 65536), -1)) {
			assertThat(files()).hasSize(1);
			try (InputStream in = body.open()) {
				assertThat(in.readAllBytes()).isEqualTo(bytes(chunks, 65536));
			}
		}
		assertThat(files()).isEmpty();
	}

	@Test
	void bodyPastTheLimitFailsAndLeavesNoFile() throws IOException {
		int chunks = 3 * BufferedRequestBody.MEMORY_THRESHOLD / 65536;
		assertThatExceptionOfType(BufferedRequestBody.BodyTooLargeException.class)
			.isThrownBy(() -> read(body(chunks, 65536), 2L * BufferedRequestBody.MEMORY_THRESHOLD))
			.withMessageContaining("limit of " + 2L * BufferedRequestBody.MEMORY_THRESHOLD + " bytes");
		assertThat(files()).isEmpty();
	}

	private BufferedRequestBody read(Flux<DataBuffer> body, long limit) {
		return BufferedRequestBody.read(body, limit, () -> this.spool).block(HANG_GUARD);
	}

	private static Flux<DataBuffer> body(int chunks, int size) {
		return Flux.range(0, chunks).map((i) -> DefaultDataBufferFactory.sharedInstance.wrap(chunk(i, size)));
	}

	private static byte[] bytes(int chunks, int size) {
		byte[] all = new byte[chunks * size];
		for (int i = 0; i < chunks; i++) {
			System.arraycopy(chunk(i, size), 0, all, i * size, size);
		}
		return all;
	}

	private static byte[] chunk(int index, int size) {
		byte[] chunk = new byte[size];
		Arrays.fill(chunk, (byte) index);
		return chunk;
	}

	private List<Path> files() throws IOException {
		try (Stream<Path> listed = Files.list(this.spool)) {
			return listed.toList();
		}
	}

}
