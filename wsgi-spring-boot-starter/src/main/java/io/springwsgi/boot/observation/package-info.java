/**
 * Each Python request as a Micrometer observation: its name and tags, the trace context handed
 * to the app, and the requests in flight by trace, so that calls into Spring beans from Python
 * join the request's span.
 */
package io.springwsgi.boot.observation;
