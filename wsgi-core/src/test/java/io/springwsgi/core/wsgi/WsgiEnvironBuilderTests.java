package io.springwsgi.core.wsgi;

import java.util.List;
import java.util.Map;

import io.springwsgi.core.http.RequestHead;
import io.springwsgi.core.http.Requests;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WsgiEnvironBuilderTests {

	private final WsgiEnvironBuilder builder = new WsgiEnvironBuilder("/flask");

	private Map<String, String> environ(Requests request) {
		return this.builder.build(request.build());
	}

	@Test
	void remoteUserIsTheUserTheHostAuthenticated() {
		RequestHead request = new RequestHead("GET", "http", "/flask/", null, "HTTP/1.1", List.of(), "localhost", 8080,
				"127.0.0.1", 50000, "alice", Map.of());
		assertThat(this.builder.build(request)).containsEntry("REMOTE_USER", "alice");
	}

	@Test
	void remoteUserIsAbsentWithoutAnAuthenticatedUser() {
		assertThat(environ(Requests.get("/flask/"))).doesNotContainKey("REMOTE_USER");
	}

	@Test
	void traceContextOfTheServerSpanIsAServerVariable() {
		String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
		RequestHead request = new RequestHead("GET", "http", "/flask/", null, "HTTP/1.1",
				List.of(Map.entry("traceparent", "00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01")),
				"localhost", 8080, "127.0.0.1", 50000, null, Map.of("traceparent", traceparent));
		assertThat(this.builder.build(request)).containsEntry("springwsgi.traceparent", traceparent)
			.containsEntry("HTTP_TRACEPARENT", "00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01");
	}

	@Test
	void requestMethodIsTheMethodAsSent() {
		assertThat(environ(Requests.get("/flask/").method("PATCH"))).containsEntry("REQUEST_METHOD", "PATCH");
	}

	@Test
	void scriptNameIsTheMountPathAndPathInfoTheRest() {
		Map<String, String> environ = environ(Requests.get("/flask/posts/7"));
		assertThat(environ).containsEntry("SCRIPT_NAME", "/flask").containsEntry("PATH_INFO", "/posts/7");
	}

	@Test
	void mountPathItselfIsTheAppsRoot() {
		assertThat(environ(Requests.get("/flask"))).containsEntry("PATH_INFO", "/");
	}

	@Test
	void pathInfoIsSlashAtTheMountPathWithTrailingSlash() {
		assertThat(environ(Requests.get("/flask/"))).containsEntry("PATH_INFO", "/");
	}

	@Test
	void rootMountHasEmptyScriptNameAndTheWholePathAsPathInfo() {
		Map<String, String> environ = new WsgiEnvironBuilder("/").build(Requests.get("/posts").build());
		assertThat(environ).containsEntry("SCRIPT_NAME", "").containsEntry("PATH_INFO", "/posts");
	}

	@Test
	void pathInfoIsPercentDecoded() {
		assertThat(environ(Requests.get("/flask/a%20b%2Fc"))).containsEntry("PATH_INFO", "/a b/c");
	}

	@Test
	void pathInfoBytesAreDecodedAsLatin1() {
		// "café" sent as UTF-8: the two bytes of "é" become two latin-1 characters (PEP 3333).
		assertThat(environ(Requests.get("/flask/caf%C3%A9"))).containsEntry("PATH_INFO", "/caf\u00c3\u00a9");
	}

	@Test
	void malformedPercentEscapeIsKeptAsIs() {
		assertThat(environ(Requests.get("/flask/100%"))).containsEntry("PATH_INFO", "/100%");
		assertThat(environ(Requests.get("/flask/%zz"))).containsEntry("PATH_INFO", "/%zz");
	}

	@Test
	void queryStringIsRawAndNotDecoded() {
		assertThat(environ(Requests.get("/flask/?q=a%20b&x=1"))).containsEntry("QUERY_STRING", "q=a%20b&x=1");
	}

	@Test
	void queryStringIsEmptyWhenAbsent() {
		assertThat(environ(Requests.get("/flask/"))).containsEntry("QUERY_STRING", "");
	}

	@Test
	void contentTypeAndContentLengthHaveNoHttpPrefix() {
		Map<String, String> environ = environ(
				Requests.post("/flask/").header("Content-Type", "application/json").header("Content-Length", "2"));
		assertThat(environ).containsEntry("CONTENT_TYPE", "application/json")
			.containsEntry("CONTENT_LENGTH", "2")
			.doesNotContainKeys("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH");
	}

	@Test
	void otherHeadersAreUpperCasedWithHttpPrefixAndUnderscores() {
		assertThat(environ(Requests.get("/flask/").header("X-Request-Id", "abc")))
			.containsEntry("HTTP_X_REQUEST_ID", "abc");
	}

	@Test
	void repeatedHeadersAreJoinedWithComma() {
		Map<String, String> environ = environ(
				Requests.get("/flask/").header("Accept", "text/html").header("accept", "application/json"));
		assertThat(environ).containsEntry("HTTP_ACCEPT", "text/html,application/json");
	}

	@Test
	void headersWithUnderscoresAreDropped() {
		assertThat(environ(Requests.get("/flask/").header("X_Forwarded_For", "10.0.0.1")))
			.doesNotContainKey("HTTP_X_FORWARDED_FOR");
	}

	@Test
	void hostHeaderIsPassedAsHttpHost() {
		assertThat(environ(Requests.get("/flask/"))).containsEntry("HTTP_HOST", "localhost:8080");
	}

	@Test
	void serverAndRemoteAddressesAreStrings() {
		Map<String, String> environ = environ(Requests.get("/flask/"));
		assertThat(environ).containsEntry("SERVER_NAME", "localhost")
			.containsEntry("SERVER_PORT", "8080")
			.containsEntry("SERVER_PROTOCOL", "HTTP/1.1")
			.containsEntry("REMOTE_ADDR", "127.0.0.1")
			.containsEntry("REMOTE_PORT", "50000");
	}

	@Test
	void urlSchemeComesFromTheRequest() {
		assertThat(environ(Requests.get("/flask/"))).containsEntry("wsgi.url_scheme", "http");
	}

	@Test
	void fieldsAlternateKeysAndValues() {
		String[] pairs = this.builder.buildFields(Requests.get("/flask/x").build())
			.split(String.valueOf(WsgiEnvironBuilder.FIELD_SEPARATOR), -1);
		assertThat(pairs.length % 2).isZero();
		assertThat(pairs[0]).isEqualTo("REQUEST_METHOD");
		assertThat(pairs[1]).isEqualTo("GET");
	}

}
