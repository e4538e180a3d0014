package io.springwsgi.boot.apps;

import java.time.Duration;
import java.util.List;

/**
 * What one hosted app was configured with, as its runtime objects, the health indicator and
 * the actuator endpoint need it: bound and checked once, then fixed.
 *
 * @param index its position in {@code wsgi.apps}
 * @param name its name
 * @param mountPath the path it is mounted at, normalized, without the server's base path
 * @param directory the directory of its code, as configured
 * @param module the module imported
 * @param callable the callable in the module
 * @param protocol {@code wsgi} or {@code asgi}
 * @param debug whether it reloads when its files change
 * @param pythonPath further {@code sys.path} entries, as configured
 * @param beans the Spring beans it may use
 * @param maxBodySize the largest request body it receives, as Spring Boot binds it ({@code 10MB})
 * @param requestTimeout the longest time a request may run
 * @param pool the shape of its pool
 * @param webSocketMaxMessageSize the largest WebSocket message it receives, in bytes
 */
public record AppDefinition(int index, String name, String mountPath, String directory, String module,
		String callable, String protocol, boolean debug, List<String> pythonPath, List<String> beans,
		String maxBodySize, Duration requestTimeout, PoolDefinition pool, int webSocketMaxMessageSize) {

	public AppDefinition {
		pythonPath = List.copyOf(pythonPath);
		beans = List.copyOf(beans);
	}

	/**
	 * Whether the app speaks ASGI rather than WSGI.
	 * @return {@code true} for ASGI
	 */
	public boolean isAsgi() {
		return "asgi".equals(this.protocol);
	}

	/**
	 * The property of this app that a message names.
	 * @param name the property below the app, {@code module}
	 * @return the full property name, {@code wsgi.apps[0].module}
	 */
	public String property(String name) {
		return "wsgi.apps[" + this.index + "]." + name;
	}

	/**
	 * The shape of an app's pool.
	 * @param size the number of contexts: {@code pool.size}, or the default for the machine
	 * @param acquireTimeout the longest wait for a free context
	 * @param maxWaiting the most requests waiting at once
	 * @param maxRequests the requests after which a context is replaced, 0 for never
	 */
	public record PoolDefinition(int size, Duration acquireTimeout, int maxWaiting, int maxRequests) {

	}

}
