package io.springwsgi.boot.web;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * A request body read whole before its request takes a Python context, as a buffering front
 * server (nginx's {@code proxy_request_buffering}) does: a client that uploads slowly holds a
 * connection, not a context. Up to {@link #MEMORY_THRESHOLD} bytes stay in memory; a larger
 * body is spooled to a file of its own ({@code 0600}) in a directory private to this user,
 * deleted when the request is done.
 */
final class BufferedRequestBody implements AutoCloseable {

	/** Largest body kept in memory. */
	static final int MEMORY_THRESHOLD = 1024 * 1024;

	private final byte[] bytes;

	private final Path file;

	private BufferedRequestBody(byte[] bytes, Path file) {
		this.bytes = bytes;
		this.file = file;
	}

	/**
	 * Read a body to its end.
	 * @param body the body's buffers
	 * @param limit the most bytes it may have, or a negative number for no limit
	 * @param spoolDirectory where a large body is written, asked for only then
	 * @return the body; fails with {@link BodyTooLargeException} as soon as it goes past the
	 * limit, leaving no file behind
	 */
	static Mono<BufferedRequestBody> read(Flux<DataBuffer> body, long limit, Supplier<Path> spoolDirectory) {
		return Mono.defer(() -> {
			Spool spool = new Spool(limit, spoolDirectory);
			return body.concatMap(spool::add)
				.then(Mono.fromCallable(spool::finish))
				.doOnError((failure) -> spool.discard())
				.doOnCancel(spool::discard);
		});
	}

	/**
	 * The body, from its start.
	 * @return a stream the caller closes
	 * @throws IOException if the spooled file cannot be opened
	 */
	InputStream open() throws IOException {
		return (this.file != null) ? Files.newInputStream(this.file) : new ByteArrayInputStream(this.bytes);
	}

	/**
	 * Delete the spooled file, if any.
	 */
	@Override
	public void close() {
		if (this.file != null) {
			deleteQuietly(this.file);
		}
	}

	private static void deleteQuietly(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			// A leftover in the private directory, readable by this user alone.
		}
	}

	/** The body's bytes so far: in memory, then in a file once past the threshold. */
	private static final class Spool {

		private final long limit;

		private final Supplier<Path> directory;

		private final ByteArrayOutputStream memory = new ByteArrayOutputStream();

		private long size;

		private Path file;

		private FileChannel channel;

		Spool(long limit, Supplier<Path> directory) {
			this.limit = limit;
			this.directory = directory;
		}

		Mono<Void> add(DataBuffer buffer) {
			this.size += buffer.readableByteCount();
			if (this.limit >= 0 && this.size > this.limit) {
				DataBufferUtils.release(buffer);
				return Mono.error(new BodyTooLargeException(this.limit));
			}
			if (this.channel == null && this.size <= MEMORY_THRESHOLD) {
				this.memory.writeBytes(ServerRequests.bytes(buffer));
				return Mono.empty();
			}
			// File I/O blocks: off the event loop, one buffer after the other (concatMap).
			return Mono.<Void>fromRunnable(() -> spill(buffer))
				.subscribeOn(Schedulers.boundedElastic())
				.doFinally((signal) -> DataBufferUtils.release(buffer));
		}

		private void spill(DataBuffer buffer) {
			try {
				if (this.channel == null) {
					this.file = createFile(this.directory.get());
					this.channel = FileChannel.open(this.file, StandardOpenOption.WRITE);
					write(ByteBuffer.wrap(this.memory.toByteArray()));
					this.memory.reset();
				}
				try (DataBuffer.ByteBufferIterator chunks = buffer.readableByteBuffers()) {
					while (chunks.hasNext()) {
						write(chunks.next());
					}
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException("spooling a request body to " + this.file + " failed", ex);
			}
		}

		private static Path createFile(Path directory) throws IOException {
			if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
				return Files.createTempFile(directory, "body-", ".part");
			}
			return Files.createTempFile(directory, "body-", ".part",
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		}

		private void write(ByteBuffer chunk) throws IOException {
			while (chunk.hasRemaining()) {
				this.channel.write(chunk);
			}
		}

		BufferedRequestBody finish() throws IOException {
			if (this.channel == null) {
				return new BufferedRequestBody(this.memory.toByteArray(), null);
			}
			this.channel.close();
			return new BufferedRequestBody(null, this.file);
		}

		void discard() {
			try {
				if (this.channel != null) {
					this.channel.close();
				}
			}
			catch (IOException ex) {
				// Deleted below all the same.
			}
			if (this.file != null) {
				deleteQuietly(this.file);
			}
		}

	}

	/** The body went past its limit while it was read. */
	static final class BodyTooLargeException extends RuntimeException {

		BodyTooLargeException(long limit) {
			super("The request body exceeds the limit of " + limit + " bytes.");
		}

	}

}
