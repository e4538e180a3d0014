package io.springwsgi.core.asgi;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.Flow;

/**
 * A request body of fixed chunks, each emitted only when the bridge asks for one, and a
 * record of how many were asked for.
 */
final class ChunkPublisher implements Flow.Publisher<byte[]> {

	private final Queue<byte[]> chunks = new ArrayDeque<>();

	volatile long requested;

	ChunkPublisher(String... chunks) {
		Arrays.stream(chunks).map((chunk) -> chunk.getBytes(StandardCharsets.UTF_8)).forEach(this.chunks::add);
	}

	@Override
	public void subscribe(Flow.Subscriber<? super byte[]> subscriber) {
		subscriber.onSubscribe(new Flow.Subscription() {

			private boolean completed;

			@Override
			public synchronized void request(long n) {
				ChunkPublisher.this.requested += n;
				for (long i = 0; i < n && !this.completed; i++) {
					byte[] next = ChunkPublisher.this.chunks.poll();
					if (next == null) {
						this.completed = true;
						subscriber.onComplete();
					}
					else {
						subscriber.onNext(next);
					}
				}
			}

			@Override
			public void cancel() {
			}

		});
	}

}
