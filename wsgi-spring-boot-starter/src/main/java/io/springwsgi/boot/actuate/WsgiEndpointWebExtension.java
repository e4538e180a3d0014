package io.springwsgi.boot.actuate;

import io.springwsgi.boot.actuate.WsgiEndpoint.AppDescriptor;
import io.springwsgi.core.app.AppLoadException;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The statuses of {@code POST /actuator/wsgi/{name}} over HTTP, where a write operation that
 * returns nothing would answer 204: 200 with the reloaded app, 404 for a name that no app has,
 * and 500 with the Python error when the app no longer loads (its previous pool keeps serving).
 */
@EndpointWebExtension(endpoint = WsgiEndpoint.class)
public class WsgiEndpointWebExtension {

	private final WsgiEndpoint delegate;

	/**
	 * Create the extension.
	 * @param delegate the endpoint that reloads
	 */
	public WsgiEndpointWebExtension(WsgiEndpoint delegate) {
		this.delegate = delegate;
	}

	/**
	 * Reload one app; see {@link WsgiEndpoint#reload(String)}.
	 * @param name the app's name
	 * @return the app after the reload, 404, or 500 with the reason it did not reload
	 */
	@WriteOperation
	public WebEndpointResponse<OperationResponseBody> reload(@Selector String name) {
		try {
			AppDescriptor app = this.delegate.reload(name);
			return (app != null) ? new WebEndpointResponse<>(app)
					: new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		catch (AppLoadException ex) {
			return new WebEndpointResponse<>(new ReloadFailure(name, ex.getMessage()),
					WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR);
		}
	}

	/**
	 * Why an app did not reload.
	 * @param name the app's name
	 * @param error the Python error
	 */
	public record ReloadFailure(String name, String error) implements OperationResponseBody {

	}

}
