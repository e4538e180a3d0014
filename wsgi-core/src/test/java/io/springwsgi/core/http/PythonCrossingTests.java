package io.springwsgi.core.http;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PythonCrossingTests {

	@Test
	void headerBlockIsSplitIntoNamesAndValuesInOrder() {
		assertThat(PythonCrossing.headers("Content-Type\ufffftext/plain\uffffSet-Cookie\uffffa=1\uffffSet-Cookie\uffffb=2"))
			.containsExactly(Map.entry("Content-Type", "text/plain"), Map.entry("Set-Cookie", "a=1"),
					Map.entry("Set-Cookie", "b=2"));
	}

	@Test
	void emptyHeaderBlockHasNoHeaders() {
		assertThat(PythonCrossing.headers("")).isEmpty();
	}

	@Test
	void emptyHeaderValueIsKept() {
		assertThat(PythonCrossing.headers("X-Empty\uffff")).containsExactly(Map.entry("X-Empty", ""));
	}

	@Test
	void newlineInAValueDoesNotStartAnotherHeader() {
		assertThat(PythonCrossing.headers("X-Note\uffffa\nSet-Cookie\nsid=evil"))
			.containsExactly(Map.entry("X-Note", "a\nSet-Cookie\nsid=evil"));
	}

}
