/**
 * GraalPy itself: the shared engine, the creation of an app's contexts with the bridge's Python
 * runtime, what Python reaches of its host, and where Python's output and logging go.
 */
package io.springwsgi.core.python;
