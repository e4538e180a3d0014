/**
 * ASGI 3 on the neutral layer: the HTTP and WebSocket scopes, {@code receive} and {@code send},
 * lifespan, served from a shared pool of event loops.
 */
package io.springwsgi.core.asgi;
