/**
 * Pools of GraalPy contexts of one app behind one contract, {@link
 * io.springwsgi.core.pool.ContextPool}: the exclusive strategy (one request per context, WSGI)
 * and the shared one (event loops with many requests each, ASGI), and the statistics both
 * report.
 */
package io.springwsgi.core.pool;
