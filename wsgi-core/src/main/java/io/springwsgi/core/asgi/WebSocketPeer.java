package io.springwsgi.core.asgi;

/**
 * The server's side of one WebSocket, as the ASGI app drives it. Called on the context's event
 * loop thread, so no method may block.
 */
public interface WebSocketPeer {

	/**
	 * {@code websocket.accept}: complete the handshake.
	 * @param subprotocol the chosen subprotocol, or {@code ""}
	 */
	void accept(String subprotocol);

	/**
	 * {@code websocket.close} before {@code websocket.accept}, or the app returned without
	 * either: refuse the handshake with an HTTP 403 (ASGI spec, "Close - send event").
	 */
	void deny();

	/**
	 * Send a text frame.
	 * @param text the text
	 */
	void sendText(String text);

	/**
	 * Send a binary frame.
	 * @param bytes the payload
	 */
	void sendBytes(byte[] bytes);

	/**
	 * Whether the client has fallen so far behind that the app should stop sending until
	 * {@code resume} runs.
	 * @param resume what to run, once and from any thread, when the client has caught up;
	 * kept only when this returns {@code true}
	 * @return whether the app's next send waits for {@code resume}
	 */
	boolean fallenBehind(Runnable resume);

	/**
	 * Close the connection with a close frame.
	 * @param code the close code
	 * @param reason the reason, or {@code ""}
	 */
	void close(int code, String reason);

}
