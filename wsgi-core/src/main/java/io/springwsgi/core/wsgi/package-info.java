/**
 * WSGI (PEP 3333) on the neutral layer: the environ, {@code wsgi.input} and {@code
 * wsgi.errors}, {@code start_response} and the response body, served from an exclusive pool.
 */
package io.springwsgi.core.wsgi;
