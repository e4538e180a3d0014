package io.springwsgi.boot.autoconfigure;

import java.util.Map;

import io.springwsgi.boot.apps.HostedApp;
import io.springwsgi.boot.apps.HostedApps;
import io.springwsgi.boot.apps.WsgiConfigurationException;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Fails start-up when an app's mount path would hide a Java endpoint: the apps' routes are
 * consulted before {@code @RequestMapping} methods, so {@code /flask} mounted over a
 * controller's {@code /flask/health} would silently take its requests.
 */
public class MountPathGuard implements SmartInitializingSingleton {

	private final HostedApps hostedApps;

	private final ObjectProvider<RequestMappingHandlerMapping> handlerMappings;

	public MountPathGuard(HostedApps hostedApps, ObjectProvider<RequestMappingHandlerMapping> handlerMappings) {
		this.hostedApps = hostedApps;
		this.handlerMappings = handlerMappings;
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.handlerMappings.orderedStream().forEach((mapping) -> check(mapping.getHandlerMethods()));
	}

	private void check(Map<RequestMappingInfo, HandlerMethod> handlers) {
		for (HostedApp app : this.hostedApps.apps()) {
			String mount = app.mountPath();
			handlers.forEach((info, handler) -> {
				for (PathPattern pattern : info.getPatternsCondition().getPatterns()) {
					String text = pattern.getPatternString();
					if (mount.isEmpty() || text.equals(mount) || text.startsWith(mount + "/")) {
						throw new WsgiConfigurationException(app.definition().property("path"),
								"app '" + app.name() + "' mounted at '" + (mount.isEmpty() ? "/" : mount)
										+ "' would hide the Java endpoint " + handler.getShortLogMessage()
										+ " mapped to '" + text + "'",
								"Mount the app at a path no @RequestMapping uses, or move the Java endpoint.");
					}
				}
			});
		}
	}

}
