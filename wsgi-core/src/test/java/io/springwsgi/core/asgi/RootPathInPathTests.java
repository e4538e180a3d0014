package io.springwsgi.core.asgi;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RootPathInPathTests {

	@Test
	void starletteBefore033RoutesWithoutRootPath() {
		assertThat(RootPathInPath.ofStarlette("0.26.1")).isEqualTo(RootPathInPath.EXCLUDED);
		assertThat(RootPathInPath.ofStarlette("0.32.0.post1")).isEqualTo(RootPathInPath.EXCLUDED);
	}

	@Test
	void starlette033AndLaterFollowTheSpec() {
		assertThat(RootPathInPath.ofStarlette("0.33.0")).isEqualTo(RootPathInPath.INCLUDED);
		assertThat(RootPathInPath.ofStarlette("0.41.3")).isEqualTo(RootPathInPath.INCLUDED);
		assertThat(RootPathInPath.ofStarlette("1.0.0rc1")).isEqualTo(RootPathInPath.INCLUDED);
	}

	@Test
	void appsWithoutStarletteFollowTheSpec() {
		assertThat(RootPathInPath.ofStarlette(null)).isEqualTo(RootPathInPath.INCLUDED);
	}

}
