/**
 * The hosted apps while the service runs: their start in steps, readiness, reloads (the debug
 * reloader among them) and shutdown, independent of how they were configured.
 */
package io.springwsgi.boot.apps;
