/**
 * A Python app as the host sees it: what to load ({@link io.springwsgi.core.app.PythonApp}),
 * where its directory is, the server that loads and serves it ({@link
 * io.springwsgi.core.app.AppServer}), its warm-up, and why it failed to load.
 */
package io.springwsgi.core.app;
