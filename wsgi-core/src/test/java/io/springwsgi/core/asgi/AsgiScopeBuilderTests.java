package io.springwsgi.core.asgi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.springwsgi.core.http.RequestHead;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AsgiScopeBuilderTests {

	private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

	private final AsgiScopeBuilder builder = new AsgiScopeBuilder("/fastapi", true);

	private static RequestHead request(String method, String rawPath, String rawQuery, String... headers) {
		List<Map.Entry<String, String>> all = new ArrayList<>();
		all.add(Map.entry("Host", "example.org:8080"));
		for (int i = 0; i < headers.length; i += 2) {
			all.add(Map.entry(headers[i], headers[i + 1]));
		}
		return new RequestHead(method, "http", rawPath, rawQuery, "HTTP/1.1", all, "example.org", 8080, "10.0.0.7",
				50123);
	}

	private AsgiScope scope(String rawPath) {
		return this.builder.http(request("GET", rawPath, null));
	}

	@Test
	void typeIsHttpAndHttpVersionHasNoPrefix() {
		AsgiScope scope = scope("/fastapi/items");
		assertThat(scope.type()).isEqualTo("http");
		assertThat(scope.httpVersion()).isEqualTo("1.1");
	}

	@Test
	void methodIsAsSent() {
		assertThat(this.builder.http(request("PATCH", "/fastapi/", null)).method()).isEqualTo("PATCH");
	}

	@Test
	void rootPathIsTheMountPath() {
		assertThat(scope("/fastapi/items").rootPath()).isEqualTo("/fastapi");
	}

	@Test
	void pathIncludesRootPathAsTheCurrentSpecSays() {
		assertThat(scope("/fastapi/items/7").path()).isEqualTo("/fastapi/items/7");
	}

	@Test
	void pathExcludesRootPathForStarletteBefore033() {
		AsgiScope scope = new AsgiScopeBuilder("/fastapi", false).http(request("GET", "/fastapi/items/7", null));
		assertThat(scope.path()).isEqualTo("/items/7");
		assertThat(scope.rootPath()).isEqualTo("/fastapi");
	}

	@Test
	void mountPathItselfIsTheAppsRoot() {
		assertThat(scope("/fastapi").path()).isEqualTo("/fastapi/");
		assertThat(new AsgiScopeBuilder("/fastapi", false).http(request("GET", "/fastapi", null)).path())
			.isEqualTo("/");
	}

	@Test
	void pathIsPercentDecodedAsUtf8AndRawPathIsAsSent() {
		AsgiScope scope = scope("/fastapi/caf%C3%A9%20bar");
		assertThat(scope.path()).isEqualTo("/fastapi/café bar");
		assertThat(scope.rawPath()).isEqualTo("/fastapi/caf%C3%A9%20bar");
	}

	@Test
	void queryStringIsRawAndEmptyWhenAbsent() {
		assertThat(this.builder.http(request("GET", "/fastapi/", "a=1&b=%20")).queryString()).isEqualTo("a=1&b=%20");
		assertThat(scope("/fastapi/").queryString()).isEmpty();
	}

	@Test
	void headerNamesAreLowerCasedAndRepeatedHeadersStaySeparate() {
		AsgiScope scope = this.builder.http(request("GET", "/fastapi/", null, "X-Tag", "a", "X-Tag", "b"));
		assertThat(scope.headers()).containsExactly(Map.entry("host", "example.org:8080"), Map.entry("x-tag", "a"),
				Map.entry("x-tag", "b"));
	}

	@Test
	void clientAndServerAreHostAndPort() {
		AsgiScope scope = scope("/fastapi/");
		assertThat(scope.clientHost()).isEqualTo("10.0.0.7");
		assertThat(scope.clientPort()).isEqualTo(50123);
		assertThat(scope.serverHost()).isEqualTo("example.org");
		assertThat(scope.serverPort()).isEqualTo(8080);
	}

	@Test
	void websocketScopeHasWsSchemeAndNoBodyMethodOfItsOwn() {
		AsgiScope scope = this.builder.websocket(request("GET", "/fastapi/ws", null));
		assertThat(scope.type()).isEqualTo("websocket");
		assertThat(scope.scheme()).isEqualTo("ws");
	}

	@Test
	void httpVersionOfHttp2IsTwoAsTheSpecSpellsIt() {
		RequestHead request = new RequestHead("GET", "http", "/fastapi/x", null, "HTTP/2.0", List.of(), "localhost",
				8080, "127.0.0.1", 50000);
		assertThat(this.builder.http(request).httpVersion()).isEqualTo("2");
	}

	@Test
	void flatFormCarriesTheRemoteUserAndTraceContextBeforeTheHeaders() {
		RequestHead request = new RequestHead("GET", "http", "/fastapi/x", null, "HTTP/1.1",
				List.of(Map.entry("Host", "example.org")), "example.org", 8080, "10.0.0.7", 50123, "alice",
				Map.of("traceparent", TRACEPARENT));
		String[] fields = this.builder.http(request).toArray();
		assertThat(fields).containsSubsequence("8080", "alice", TRACEPARENT, "", "host", "example.org");
	}

	@Test
	void flatFormListsTheFieldsThenTheHeaderPairs() {
		String[] fields = scope("/fastapi/x").toArray();
		assertThat(fields).hasSize(17);
		assertThat(fields).startsWith("http", "1.1", "GET", "http", "/fastapi/x", "/fastapi/x", "/fastapi", "",
				"10.0.0.7", "50123", "example.org", "8080", "", "", "");
		assertThat(fields).endsWith("host", "example.org:8080");
	}

}
