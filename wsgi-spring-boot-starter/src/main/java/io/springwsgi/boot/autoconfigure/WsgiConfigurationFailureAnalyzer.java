package io.springwsgi.boot.autoconfigure;

import io.springwsgi.boot.apps.WsgiConfigurationException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a wrong {@code wsgi.*} configuration at start-up.
 */
class WsgiConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<WsgiConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, WsgiConfigurationException cause) {
		return new FailureAnalysis("Invalid Python app configuration, property '" + cause.getProperty() + "': "
				+ cause.getMessage(), cause.getAction(), cause);
	}

}
