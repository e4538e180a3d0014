/**
 * The protocol-neutral layer both bridges stand on: the request head, the response sink in its
 * two kinds (blocking for WSGI, windowed for ASGI), the warm-up exchange, mount paths,
 * percent-decoding and how bytes and headers cross out of Python. It imports neither {@code
 * wsgi} nor {@code asgi}.
 */
package io.springwsgi.core.http;
