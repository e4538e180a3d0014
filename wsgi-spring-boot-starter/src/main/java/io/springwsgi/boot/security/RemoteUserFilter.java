package io.springwsgi.boot.security;

import io.springwsgi.boot.apps.HostedApp;
import io.springwsgi.boot.web.HostedAppExchange;
import io.springwsgi.boot.web.HostedAppFilter;
import reactor.core.publisher.Mono;

import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Hands the user Spring Security authenticated to the hosted app: {@code REMOTE_USER} in a WSGI
 * environ (RFC 3875 4.1.11, what Django's {@code RemoteUserMiddleware} and Flask-Login's
 * request loaders read), {@code remote_user} in an ASGI scope. An anonymous user is no user:
 * the key is then absent, as a CGI server leaves it.
 */
public class RemoteUserFilter implements HostedAppFilter {

	private final AuthenticationTrustResolver trustResolver = new AuthenticationTrustResolverImpl();

	@Override
	public HandlerFilterFunction<ServerResponse, ServerResponse> filterFor(HostedApp app) {
		return (request, next) -> request.principal()
			.filter((principal) -> !(principal instanceof Authentication authentication)
					|| this.trustResolver.isAuthenticated(authentication))
			.doOnNext((principal) -> request.exchange()
				.getAttributes()
				.put(HostedAppExchange.REMOTE_USER, principal.getName()))
			.then(Mono.defer(() -> next.handle(request)));
	}

}
