package io.springwsgi.boot.autoconfigure;

import io.springwsgi.core.python.PatchelfNotFoundException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Says what to install when {@code patchelf}, which GraalPy needs to give each context its own
 * copy of a native module, is missing.
 */
class PatchelfFailureAnalyzer extends AbstractFailureAnalyzer<PatchelfNotFoundException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, PatchelfNotFoundException cause) {
		return new FailureAnalysis(cause.getMessage(), PatchelfNotFoundException.ACTION, cause);
	}

}
