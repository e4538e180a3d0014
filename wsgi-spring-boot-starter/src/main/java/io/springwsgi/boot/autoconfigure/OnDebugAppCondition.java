package io.springwsgi.boot.autoconfigure;

import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when at least one entry of {@code wsgi.apps} has {@code debug: true}, so the debug
 * reloader, and its thread watching files, exists only where an app asked for it.
 */
class OnDebugAppCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		List<WsgiProperties.App> apps = Binder.get(context.getEnvironment())
			.bind("wsgi.apps", Bindable.listOf(WsgiProperties.App.class))
			.orElse(List.of());
		for (WsgiProperties.App app : apps) {
			if (app.isDebug()) {
				return ConditionOutcome.match("app '" + app.getName() + "' has wsgi.apps[].debug=true");
			}
		}
		return ConditionOutcome.noMatch("no app of wsgi.apps has debug=true");
	}

}
