package io.springwsgi.boot;

import java.io.InputStream;
import java.security.MessageDigest;

/** A large request body made on the fly, hashed as it is sent. */
final class PatternStream extends InputStream {

	private final long size;

	private final MessageDigest digest;

	private long position;

	PatternStream(long size, MessageDigest digest) {
		this.size = size;
		this.digest = digest;
	}

	@Override
	public int read() {
		byte[] one = new byte[1];
		return (read(one, 0, 1) < 0) ? -1 : one[0] & 0xff;
	}

	@Override
	public int read(byte[] buffer, int offset, int length) {
		if (this.position >= this.size) {
			return -1;
		}
		int count = (int) Math.min(length, this.size - this.position);
		for (int i = 0; i < count; i++) {
			buffer[offset + i] = (byte) ((this.position + i) * 31 >>> 3);
		}
		this.digest.update(buffer, offset, count);
		this.position += count;
		return count;
	}

}
