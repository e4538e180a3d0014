package io.springwsgi.core.asgi;

/**
 * A WebSocket frame from the client: text, or binary bytes held as a latin-1 string, one char
 * per byte, the cheapest way into Python.
 *
 * @param text whether it is a text frame
 * @param data the text, or the bytes as latin-1
 */
public record AsgiWebSocketMessage(boolean text, String data) {

	/**
	 * A text frame.
	 * @param text the text
	 * @return the message
	 */
	public static AsgiWebSocketMessage text(String text) {
		return new AsgiWebSocketMessage(true, text);
	}

	/**
	 * A binary frame.
	 * @param bytes the payload
	 * @return the message
	 */
	public static AsgiWebSocketMessage binary(byte[] bytes) {
		return new AsgiWebSocketMessage(false, new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1));
	}

}
