package io.springwsgi.boot.autoconfigure;

import io.springwsgi.core.python.PatchelfNotFoundException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;

class PatchelfFailureAnalyzerTests {

	@Test
	void missingPatchelfSaysWhatToInstall() {
		// What start-up fails with when PythonEngine.create finds no patchelf.
		BeanCreationException failure = new BeanCreationException("pythonEngine", "failed",
				new PatchelfNotFoundException("/usr/local/bin:/usr/bin"));
		FailureAnalysis analysis = new PatchelfFailureAnalyzer().analyze(failure);
		assertThat(analysis.getDescription()).contains("springwsgi needs 'patchelf'", "/usr/local/bin:/usr/bin");
		assertThat(analysis.getAction()).contains("apt-get install patchelf", "container image");
	}

}
