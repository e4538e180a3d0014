package io.springwsgi.core.wsgi;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import io.springwsgi.core.http.RecordingSink;
import io.springwsgi.core.http.Requests;
import org.junit.jupiter.api.Test;

import static io.springwsgi.core.wsgi.TestApps.exchange;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app under test is wrapped in {@code wsgiref.validate.validator} with its warnings
 * turned into errors: any breach of PEP 3333 by the server fails the request with a 500.
 */
class WsgiConformanceTests {

	private final WsgiApplication app = TestApps.conformance();

	@Test
	void getPassesTheValidator() {
		RecordingSink response = exchange(this.app, Requests.get("/app/environ?x=1").build());
		assertThat(response.status).as(response.bodyText()).isEqualTo(200);
		assertThat(response.bodyText()).contains("\"PATH_INFO\": \"/environ\"", "\"SCRIPT_NAME\": \"/app\"",
				"\"QUERY_STRING\": \"x=1\"");
	}

	@Test
	void pathInfoReachesPythonAsLatin1DecodedBytes() {
		RecordingSink response = exchange(this.app, Requests.get("/app/caf%C3%A9").build());
		assertThat(response.status).isEqualTo(404);
		// The app encodes PATH_INFO back to latin-1: the original UTF-8 bytes come back.
		assertThat(response.bodyText()).isEqualTo("no route /café");
	}

	@Test
	void headSendsHeadersButNoBody() {
		RecordingSink response = exchange(this.app, Requests.get("/app/environ").method("HEAD").build());
		assertThat(response.status).isEqualTo(200);
		assertThat(response.bodyBytes()).isEmpty();
		assertThat(response.header("Content-Length")).isNotNull();
	}

	@Test
	void postWithContentLengthReachesWsgiInput() {
		byte[] body = "{\"hello\": \"world\"}".getBytes(StandardCharsets.UTF_8);
		RecordingSink response = exchange(this.app,
				Requests.post("/app/echo").header("Content-Length", Integer.toString(body.length)).build(),
				new ByteArrayInputStream(body), new RecordingSink());
		assertThat(response.status).as(response.bodyText()).isEqualTo(200);
		assertThat(response.bodyBytes()).isEqualTo(body);
	}

	@Test
	void postWithChunkedBodyReachesWsgiInputToItsEnd() {
		byte[] body = randomBytes(100_000);
		RecordingSink response = exchange(this.app,
				Requests.post("/app/echo").header("Transfer-Encoding", "chunked").build(), new TrickleStream(body, 777),
				new RecordingSink());
		assertThat(response.status).as(response.bodyText()).isEqualTo(200);
		assertThat(response.bodyBytes()).isEqualTo(body);
	}

	@Test
	void readWithAHugeSizeReturnsTheBody() {
		byte[] body = randomBytes(100_000);
		RecordingSink response = exchange(this.app,
				Requests.post("/app/read-huge").header("Transfer-Encoding", "chunked").build(),
				new TrickleStream(body, 7777), new RecordingSink());
		assertThat(response.status).as(response.bodyText()).isEqualTo(200);
		assertThat(response.bodyBytes()).isEqualTo(body);
	}

	@Test
	void largeBodyArrivesWhole() {
		byte[] body = randomBytes(8 * 1024 * 1024);
		RecordingSink response = exchange(this.app,
				Requests.post("/app/echo").header("Content-Length", Integer.toString(body.length)).build(),
				new ByteArrayInputStream(body), new RecordingSink());
		assertThat(response.status).as(response.bodyText()).isEqualTo(200);
		assertThat(Arrays.equals(response.bodyBytes(), body)).isTrue();
	}

	@Test
	void readlineReadlinesAndSizeLimitedReadlineSplitTheBody() {
		byte[] body = "first line\nsecond\nthird\nfourth".getBytes(StandardCharsets.UTF_8);
		RecordingSink response = exchange(this.app, Requests.post("/app/lines").build(), new TrickleStream(body, 4),
				new RecordingSink());
		assertThat(response.status).as(response.bodyText()).isEqualTo(200);
		assertThat(response.bodyText())
			.isEqualTo("[\"first line\\n\", \"sec\", \"ond\\n\", \"third\\n\", \"fourth\"]");
	}

	@Test
	void iteratingWsgiInputYieldsLines() {
		byte[] body = "a\nbb\nccc".getBytes(StandardCharsets.UTF_8);
		RecordingSink response = exchange(this.app, Requests.post("/app/iterate").build(), new TrickleStream(body, 2),
				new RecordingSink());
		assertThat(response.bodyText()).isEqualTo("[\"a\\n\", \"bb\\n\", \"ccc\"]");
	}

	@Test
	void generatorChunksReachTheSinkOneByOne() {
		RecordingSink response = exchange(this.app, Requests.get("/app/stream").build());
		assertThat(response.status).isEqualTo(200);
		assertThat(response.events).containsExactly("start 200", "write 8", "write 8", "write 8", "write 8",
				"write 8", "complete");
		assertThat(response.bodyText()).startsWith("chunk 0\n").endsWith("chunk 4\n");
	}

	@Test
	void writeCallableSendsBeforeTheReturnedIterable() {
		RecordingSink response = exchange(this.app, Requests.get("/app/write").build());
		assertThat(response.status).isEqualTo(200);
		assertThat(response.bodyText()).isEqualTo("written and returned");
		assertThat(response.events).containsExactly("start 200", "write 8", "write 12", "complete");
	}

	@Test
	void fileWrapperStreamsAFileLikeInBlocks() {
		RecordingSink response = exchange(this.app, Requests.get("/app/file").build());
		assertThat(response.status).isEqualTo(200);
		assertThat(response.bodyText()).hasSize(20000);
		assertThat(response.events).filteredOn((event) -> event.startsWith("write")).hasSize(5);
	}

	@Test
	void bytesPastTheContentLengthAreNotSent() {
		RecordingSink response = exchange(this.app, Requests.get("/app/overlong").build());
		assertThat(response.bodyText()).isEqualTo("abcde");
		assertThat(response.events).containsExactly("start 200", "write 3", "write 2", "complete");
	}

	@Test
	void responseShorterThanItsContentLengthIsAborted() {
		RecordingSink response = exchange(this.app, Requests.get("/app/short").build());
		assertThat(response.events).containsExactly("start 200", "write 3", "write 2", "abort");
		assertThat(response.abortCause).hasMessageContaining("sent 5 of the 10 bytes its Content-Length declared");
	}

	@Test
	void wsgiErrorsIsWritable() {
		RecordingSink response = exchange(this.app, Requests.get("/app/errors").build());
		assertThat(response.status).isEqualTo(204);
	}

	static byte[] randomBytes(int size) {
		byte[] bytes = new byte[size];
		new Random(size).nextBytes(bytes);
		return bytes;
	}

	/** A body that arrives a few bytes at a time, as a chunked upload does. */
	static final class TrickleStream extends InputStream {

		private final byte[] data;

		private final int step;

		private int position;

		TrickleStream(byte[] data, int step) {
			this.data = data;
			this.step = step;
		}

		@Override
		public int read() {
			return (this.position < this.data.length) ? this.data[this.position++] & 0xff : -1;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) {
			if (this.position >= this.data.length) {
				return -1;
			}
			int count = Math.min(Math.min(length, this.step), this.data.length - this.position);
			System.arraycopy(this.data, this.position, buffer, offset, count);
			this.position += count;
			return count;
		}

	}

}
