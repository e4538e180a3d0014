package io.springwsgi.boot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * Bytes on a raw socket, for what an HTTP client library would hide: malformed requests,
 * pipelined ones, and exactly which bytes the server sent before it closed the connection.
 */
final class RawHttp {

	private RawHttp() {
	}

	/**
	 * Send the bytes and read until the server closes the connection.
	 * @param port the server's port on localhost
	 * @param bytes the request bytes, latin-1
	 * @return what the server sent, latin-1; a read that waits a minute fails with
	 * {@link java.net.SocketTimeoutException}
	 */
	static String exchange(int port, String bytes) throws IOException {
		try (Socket socket = new Socket("localhost", port)) {
			// A guard against a hang, not a measurement: the server answers in milliseconds.
			socket.setSoTimeout(60_000);
			socket.getOutputStream().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
			socket.getOutputStream().flush();
			return readToClose(socket.getInputStream());
		}
	}

	/**
	 * Send a request on a kept-alive connection, read the head of its response and as many body
	 * bytes as given, then send a second request on the same connection and read what follows up
	 * to the end of a response head. (Not pipelined, and without {@code Connection: close}: Reactor
	 * Netty closes a connection after the response in progress when such a request comes in.)
	 * @param port the server's port on localhost
	 * @param first the first request, latin-1
	 * @param bodyBytes how many bytes of the first response's body to read
	 * @param second the second request, latin-1
	 * @return the first response's head and body bytes, then what followed them up to the next
	 * empty line
	 */
	static String exchangeTwice(int port, String first, int bodyBytes, String second) throws IOException {
		try (Socket socket = new Socket("localhost", port)) {
			socket.setSoTimeout(60_000);
			InputStream in = socket.getInputStream();
			socket.getOutputStream().write(first.getBytes(StandardCharsets.ISO_8859_1));
			String head = readHead(in);
			String body = new String(in.readNBytes(bodyBytes), StandardCharsets.ISO_8859_1);
			socket.getOutputStream().write(second.getBytes(StandardCharsets.ISO_8859_1));
			return head + body + readHead(in);
		}
	}

	/**
	 * Read a response head, up to and with the empty line that ends it.
	 * @param in the connection's input
	 * @return the head, or what came before the connection closed
	 */
	static String readHead(InputStream in) throws IOException {
		StringBuilder head = new StringBuilder();
		while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
			int b = in.read();
			if (b < 0) {
				break;
			}
			head.append((char) b);
		}
		return head.toString();
	}

	private static String readToClose(InputStream in) throws IOException {
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		try {
			for (int count = in.read(buffer); count >= 0; count = in.read(buffer)) {
				received.write(buffer, 0, count);
			}
		}
		catch (SocketException ex) {
			// A reset after the refusal ends the exchange as a close does.
		}
		return received.toString(StandardCharsets.ISO_8859_1);
	}

}
