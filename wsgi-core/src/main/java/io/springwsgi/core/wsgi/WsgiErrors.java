package io.springwsgi.core.wsgi;

import org.graalvm.polyglot.HostAccess;
import org.slf4j.Logger;

/**
 * The Java half of {@code wsgi.errors}: text the app writes there is logged line by line, at
 * error level, to the app's logger.
 */
public final class WsgiErrors {

	private final Logger logger;

	private final StringBuilder line = new StringBuilder();

	public WsgiErrors(Logger logger) {
		this.logger = logger;
	}

	@HostAccess.Export
	public void write(String text) {
		int start = 0;
		int newline;
		while ((newline = text.indexOf('\n', start)) >= 0) {
			this.line.append(text, start, newline);
			emit();
			start = newline + 1;
		}
		this.line.append(text, start, text.length());
	}

	@HostAccess.Export
	public void flush() {
		if (!this.line.isEmpty()) {
			emit();
		}
	}

	private void emit() {
		this.logger.error("{}", this.line);
		this.line.setLength(0);
	}

}
