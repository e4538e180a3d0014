/**
 * WebFlux's side of the bridge: one route per app, the handler functions of both protocols, the
 * WebFlux response sinks, WebSockets and the strict HTTP/1.1 front door.
 */
package io.springwsgi.boot.web;
