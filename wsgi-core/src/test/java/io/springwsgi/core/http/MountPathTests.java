package io.springwsgi.core.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MountPathTests {

	@Test
	void mountPathWithoutLeadingSlashOrWithTrailingSlashIsNormalized() {
		assertThat(MountPath.normalize("flask/")).isEqualTo("/flask");
		assertThat(MountPath.normalize("/")).isEmpty();
	}

}
