package io.springwsgi.core.python;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;

/**
 * A context's {@code sys.stdout} or {@code sys.stderr}: each line becomes one log event of the
 * app's logger, INFO for stdout and WARN for stderr.
 */
final class PythonOutputStream extends OutputStream {

	private final Logger logger;

	private final boolean error;

	private final ByteArrayOutputStream line = new ByteArrayOutputStream();

	PythonOutputStream(Logger logger, boolean error) {
		this.logger = logger;
		this.error = error;
	}

	@Override
	public synchronized void write(int b) {
		if (b == '\n') {
			emit();
		}
		else {
			this.line.write(b);
		}
	}

	@Override
	public synchronized void write(byte[] bytes, int offset, int length) {
		int start = offset;
		int end = offset + length;
		for (int i = offset; i < end; i++) {
			if (bytes[i] == '\n') {
				this.line.write(bytes, start, i - start);
				emit();
				start = i + 1;
			}
		}
		this.line.write(bytes, start, end - start);
	}

	@Override
	public synchronized void flush() {
		// Python flushes after every print(); a line is logged only once it is complete.
	}

	@Override
	public synchronized void close() {
		if (this.line.size() > 0) {
			emit();
		}
	}

	private void emit() {
		String text = this.line.toString(StandardCharsets.UTF_8);
		this.line.reset();
		if (this.error) {
			this.logger.warn("{}", text);
		}
		else {
			this.logger.info("{}", text);
		}
	}

}
