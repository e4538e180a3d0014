package io.springwsgi.sample;

import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The blog's HTTP contract (DESIGN.md §6), the same on every mount: Flask, Django and Java serve
 * one database, so one suite checks them all.
 */
class BlogContractTests extends SampleServiceTests {

	/** Every mount that serves the contract; a new one is one more entry. */
	static List<String> mounts() {
		return List.of("/flask", "/django", "/fastapi", "/api");
	}

	static Stream<Arguments> mountsAndInteropMethods() {
		return mounts().stream()
			.flatMap((mount) -> Stream.of("GET", "POST", "PUT", "DELETE").map((method) -> Arguments.of(mount, method)));
	}

	private JsonNode createPost(String mount, String title, String content) {
		HttpResponse<String> response = post(mount + "/posts", jsonText(Map.of("title", title, "content", content)));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		return json(response);
	}

	private JsonNode createComment(String mount, long postId, String content) {
		HttpResponse<String> response = post(mount + "/comments",
				jsonText(Map.of("post_id", postId, "content", content)));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		return json(response);
	}

	private static void assertError(HttpResponse<String> response, int status, String field) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/json"));
		JsonNode error = json(response);
		assertThat(error.get("error").isString()).as(response.body()).isTrue();
		if (field != null) {
			assertThat(error.get("field").asString()).as(response.body()).isEqualTo(field);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("mounts")
	void seedDataHoldsThreePostsAndFourComments(String mount) {
		JsonNode posts = json(get(mount + "/posts"));
		assertThat(posts.valueStream().map((post) -> post.get("title").asString())).contains("Hello from springwsgi",
				"Python calls Spring", "PostgreSQL everywhere");
		JsonNode comments = json(get(mount + "/comments"));
		assertThat(comments.valueStream().map((comment) -> comment.get("content").asString())).contains("First!",
				"Same JVM, no HTTP hop.", "spring.beans.blogService.listPosts() returns plain lists and dicts.",
				"It starts in seconds and needs nothing installed.");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("mounts")
	void listsPostsAsJsonObjectsWithIdTitleAndContent(String mount) {
		HttpResponse<String> response = get(mount + "/posts");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode posts = json(response);
		assertThat(posts.isArray()).isTrue();
		assertThat(posts.size()).isGreaterThanOrEqualTo(3);
		assertThat(posts.get(0).propertyNames()).containsExactlyInAnyOrder("id", "title", "content");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("mounts")
	void createdPostAnswers201WithALocationThatReadsIt(String mount) {
		HttpResponse<String> response = post(mount + "/posts", "{\"title\": \"Created on " + mount + "\"}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		JsonNode created = json(response);
		assertThat(created.get("title").asString()).isEqualTo("Created on " + mount);
		assertThat(created.get("content").asString()).as("content defaults to empty").isEmpty();
		String location = response.headers().firstValue("Location").orElseThrow();
		assertThat(location).endsWith(mount + "/posts/" + created.get("id").asLong());
		HttpResponse<String> read = get(uri("/").resolve(location).getRawPath());
		assertThat(read.statusCode()).isEqualTo(200);
		assertThat(json(read)).isEqualTo(created);
		assertThat(json(get(mount + "/posts")).valueStream()).contains(created);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("mounts")
	void putReplacesThePost(String mount) {
		long id = createPost(mount, "Before", "old text").get("id").asLong();
		HttpResponse<String> response = put(mount + "/posts/" + id, "{\"title\": \"After\"}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(json(response).get("title").asString()).isEqualTo("After");
		assertThat(json(response).get("content").asString()).as("replaced, so content is back to empty").isEmpty();
		assertThat(json(get(mount + "/posts/" + id))).isEqualTo(json(response));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("mounts")
	void deletedPostAnswers204AndIsGone(String mount) {
		long id = createPost(mount, "Short-lived", "").get("id").asLong();
		HttpResponse<String> response = delete(mount + "/posts/" + id);
		assertThat(response.statusCode()).isEqualTo(204);
		assertThat(response.body()).isEmpty();
		assertError(get(mount + "/posts/" + id), 404, null);
		assertError(delete(mount + "/posts/" + id), 404, null);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("mounts")
	void unknownIdsAnswer404WithAJsonError(String mount) {
		assertError(get(mount + "/posts/999999"), 404, null);
		assertError(put(mount + "/posts/999999", "{\"title\": \"Nobody\"}"), 404, null);
		assertError(delete(mount + "/posts/999999"), 404, null);
		assertError(get(mount + "/comments/999999"), 404, null);
		assertError(put(mount + "/comments/999999", "{\"post_id\": 1}"), 404, null);
		assertError(delete(mount + "/comments/999999"), 404, null);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("mounts")
	void nonNumericIdAnswers404Or400(String mount) {
		HttpResponse<String> response = get(mount + "/posts/seven");
		assertThat(response.statusCode()).as(response.body()).isIn(400, 404);
		assertThat(json(response).has("error")).as(response.body()).isTrue();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("mounts")
	void invalidPostsAnswer400NamingTheField(String mount) {
		assertError(post(mount + "/posts", "{\"content\": \"no title\"}"), 400, "title");
		assertError(post(mount + "/posts", "{\"title\": \"\"}"), 400, "title");
		assertError(post(mount + "/posts", "{\"title\": 42}"), 400, "title");
		assertError(post(mount + "/posts", jsonText(Map.of("title", "x".repeat(101)))), 400, "title");
		assertError(post(mount + "/posts", "{\"title\": \"ok\", \"content\": [1]}"), 400, "content");
		assertThat(createPost(mount, "x".repeat(100), "").get("title").asString()).hasSize(100);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("mounts")
	void titleLengthCountsCharactersNotUtf16Units(String mount) {
		String hundredEmoji = "\uD83D\uDE00".repeat(100);
		assertThat(createPost(mount, hundredEmoji, "").get("title").asString()).isEqualTo(hundredEmoji);
		assertError(post(mount + "/posts", jsonText(Map.of("title", hundredEmoji + "!"))), 400, "title");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("mounts")
	void malformedJsonAnswers400WithAJsonError(String mount) {
		assertError(post(mount + "/posts", "{\"title\": "), 400, null);
		assertError(post(mount + "/comments", "[1, 2]"), 400, null);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("mounts")
	void jsonThatIsNotUtf8Answers400(String mount) {
		// A byte that never starts a character, a character cut short, an overlong '/'.
		for (String bytes : List.of("ff", "c3", "c0af")) {
			byte[] body = HexFormat.of().parseHex("7b227469746c65223a2022" + bytes + "227d");
			assertThat(post(mount + "/posts", body).statusCode()).as("{\"title\": \"\\x" + bytes + "\"}")
				.isEqualTo(400);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("mounts")
	void putValidatesLikePost(String mount) {
		long id = createPost(mount, "Valid", "").get("id").asLong();
		assertError(put(mount + "/posts/" + id, "{\"content\": \"title gone\"}"), 400, "title");
		assertError(put(mount + "/posts/" + id, jsonText(Map.of("title", "y".repeat(101)))), 400, "title");
		assertThat(json(get(mount + "/posts/" + id)).get("title").asString()).isEqualTo("Valid");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("mounts")
	void commentsHaveCrudOnAnExistingPost(String mount) {
		long postId = createPost(mount, "Commented", "").get("id").asLong();
		HttpResponse<String> created = post(mount + "/comments", jsonText(Map.of("post_id", postId)));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		JsonNode comment = json(created);
		assertThat(comment.propertyNames()).containsExactlyInAnyOrder("id", "post_id", "content");
		assertThat(comment.get("post_id").asLong()).isEqualTo(postId);
		assertThat(comment.get("content").asString()).isEmpty();
		long id = comment.get("id").asLong();
		assertThat(created.headers().firstValue("Location")).hasValueSatisfying(
				(location) -> assertThat(location).endsWith(mount + "/comments/" + id));
		assertThat(json(get(mount + "/comments/" + id))).isEqualTo(comment);
		assertThat(json(get(mount + "/comments")).valueStream()).contains(comment);

		HttpResponse<String> updated = put(mount + "/comments/" + id,
				jsonText(Map.of("post_id", postId, "content", "edited")));
		assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
		assertThat(json(updated).get("content").asString()).isEqualTo("edited");
		assertThat(json(get(mount + "/comments/" + id)).get("content").asString()).isEqualTo("edited");

		assertThat(delete(mount + "/comments/" + id).statusCode()).isEqualTo(204);
		assertError(get(mount + "/comments/" + id), 404, null);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("mounts")
	void invalidCommentsAnswer400NamingTheField(String mount) {
		long postId = createPost(mount, "Target", "").get("id").asLong();
		long id = createComment(mount, postId, "fine").get("id").asLong();
		assertError(post(mount + "/comments", "{\"content\": \"orphan\"}"), 400, "post_id");
		assertError(post(mount + "/comments", "{\"post_id\": 999999}"), 400, "post_id");
		assertError(post(mount + "/comments", "{\"post_id\": \"one\"}"), 400, "post_id");
		assertError(post(mount + "/comments", jsonText(Map.of("post_id", postId, "content", 7))), 400, "content");
		assertError(put(mount + "/comments/" + id, "{\"post_id\": 999999}"), 400, "post_id");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("mounts")
	void deletingAPostDeletesItsComments(String mount) {
		long postId = createPost(mount, "Doomed", "").get("id").asLong();
		long first = createComment(mount, postId, "one").get("id").asLong();
		long second = createComment(mount, postId, "two").get("id").asLong();
		assertThat(delete(mount + "/posts/" + postId).statusCode()).isEqualTo(204);
		assertError(get(mount + "/comments/" + first), 404, null);
		assertError(get(mount + "/comments/" + second), 404, null);
		assertThat(json(get(mount + "/comments")).valueStream().map((comment) -> comment.get("post_id").asLong()))
			.doesNotContain(postId);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("mounts")
	void irisListsUpToTenRowsOfTheTableCatalogueAsArrays(String mount) {
		HttpResponse<String> response = get(mount + "/iris");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode rows = json(response);
		assertThat(rows.size()).isBetween(1, 10);
		assertThat(rows.valueStream()).allSatisfy((row) -> assertThat(row.isArray()).isTrue());
		assertThat(rows.valueStream().map((row) -> row.get(0).asString() + "." + row.get(1).asString()))
			.as("the app's own tables come first").contains("public.post", "public.comment");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("mounts")
	void plaintextAnswersHelloWorldAsText(String mount) {
		HttpResponse<String> response = get(mount + "/plaintext");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/plain"));
		assertThat(response.body()).isEqualTo("Hello, World!");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("mounts")
	void echoAnswersThePostedObjectAndRejectsOtherJson(String mount) {
		String body = "{\"name\": \"springwsgi\", \"tags\": [\"wsgi\", \"asgi\"], \"n\": 3, \"nested\": {\"ok\": true}}";
		HttpResponse<String> response = post(mount + "/echo", body);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(json(response)).isEqualTo(json(body));
		assertError(post(mount + "/echo", "[1, 2]"), 400, null);
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("mountsAndInteropMethods")
	void interopEchoesTheRequestThroughTheJavaBean(String mount, String method) {
		String body = method.equals("GET") || method.equals("DELETE") ? null : "{\"ping\": \"" + method + "\"}";
		HttpResponse<String> response = send(method, mount + "/interop?via=" + method, body, "X-Interop", mount);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode answer = json(response);
		assertThat(answer.get("status").asInt()).isEqualTo(200);
		assertThat(answer.get("headers").isObject()).isTrue();
		JsonNode echoed = answer.get("body");
		assertThat(echoed.get("method").asString()).isEqualTo(method);
		assertThat(echoed.get("url").asString()).contains(mount + "/interop?via=" + method);
		assertThat(echoed.get("body").asString()).isEqualTo((body != null) ? body : "");
		assertThat(echoed.get("headers").properties())
			.anySatisfy((header) -> {
				assertThat(header.getKey()).isEqualToIgnoringCase("X-Interop");
				assertThat(header.getValue().asString()).isEqualTo(mount);
			});
	}

}
