/**
 * Spring Boot's side: the {@code wsgi.*} properties, the auto-configurations, the mapping of
 * the properties onto hosted apps, the start-up checks and the failure analyzers.
 */
package io.springwsgi.boot.autoconfigure;
