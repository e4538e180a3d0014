/**
 * Spring Security in front of the Python apps: the authenticated principal handed to the app
 * the way its ecosystem expects it.
 */
package io.springwsgi.boot.security;
