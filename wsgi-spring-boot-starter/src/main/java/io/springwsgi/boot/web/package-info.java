/**
 * WebFlux's side of the bridge: one route per app, the handler functions of both protocols, the WebFlux response sinks and WebSockets.
 */
package io.springwsgi.boot.web;
