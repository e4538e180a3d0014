/**
 * The Java half of Python's {@code import spring}: the beans an app may use and SQL through the
 * application's {@code DataSource}.
 */
package io.springwsgi.boot.spring;
