package io.springwsgi.core.wsgi;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WsgiResponseChannelTests {

	@Test
	void headerBlockIsSplitIntoNamesAndValuesInOrder() {
		assertThat(WsgiResponseChannel.parseHeaders("Content-Type\ntext/plain\nSet-Cookie\na=1\nSet-Cookie\nb=2"))
			.containsExactly(Map.entry("Content-Type", "text/plain"), Map.entry("Set-Cookie", "a=1"),
					Map.entry("Set-Cookie", "b=2"));
	}

	@Test
	void emptyHeaderBlockHasNoHeaders() {
		assertThat(WsgiResponseChannel.parseHeaders("")).isEmpty();
	}

	@Test
	void emptyHeaderValueIsKept() {
		assertThat(WsgiResponseChannel.parseHeaders("X-Empty\n")).containsExactly(Map.entry("X-Empty", ""));
	}

}
