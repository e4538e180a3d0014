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
 * 409 while another reload runs, and 500 when the app no longer loads (its previous pool keeps
 * serving). The 500 carries the Python error only for an app in {@code debug} mode, as a
 * traceback tells an attacker about the code and its files; it is always in the log.
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
	 * @return the app after the reload, 404, 409, or 500 with the reason it did not reload
	 */
	@WriteOperation
	public WebEndpointResponse<OperationResponseBody> reload(@Selector String name) {
		try {
			AppDescriptor app = this.delegate.reload(name);
			return (app != null) ? new WebEndpointResponse<>(app)
					: new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		catch (ReloadInProgressException ex) {
			return new WebEndpointResponse<>(new ReloadFailure(name, ex.getMessage()), 409);
		}
		catch (AppLoadException ex) {
			String error = this.delegate.isDebug(name) ? ex.getMessage()
					: "Python app '" + name + "' did not reload and its previous pool keeps serving; "
							+ "the Python error is in the service's log";
			return new WebEndpointResponse<>(new ReloadFailure(name, error),
					WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR);
		}
	}

	/**
	 * Why an app did not reload.
	 * @param name the app's name
	 * @param error why, with the Python error for an app in debug mode
	 */
	public record ReloadFailure(String name, String error) implements OperationResponseBody {

	}

}
