/**
 * Health, metrics and the {@code wsgi} actuator endpoint of the hosted apps, read from the
 * pools' statistics without knowing the protocol.
 */
package io.springwsgi.boot.actuate;
