package io.springwsgi.sample;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mounts share one database: what one writes, the others read, change and delete, also when
 * many requests arrive at once.
 */
class CrossMountContractTests extends SampleServiceTests {

	@Autowired
	private DataSource dataSource;

	@Test
	void postCreatedThroughFlaskIsReadThroughDjangoFastApiAndJava() {
		HttpResponse<String> created = post("/flask/posts", "{\"title\": \"Written in Flask\", \"content\": \"hi\"}");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		JsonNode post = json(created);
		long id = post.get("id").asLong();
		for (String mount : List.of("/django", "/fastapi", "/api")) {
			HttpResponse<String> read = get(mount + "/posts/" + id);
			assertThat(read.statusCode()).as(mount).isEqualTo(200);
			assertThat(json(read)).as(mount).isEqualTo(post);
		}
	}

	@Test
	void commentCreatedThroughJavaIsDeletedThroughDjango() {
		long postId = json(post("/api/posts", "{\"title\": \"Java's post\"}")).get("id").asLong();
		HttpResponse<String> created = post("/api/comments", jsonText(Map.of("post_id", postId, "content", "from Java")));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		long id = json(created).get("id").asLong();
		assertThat(json(get("/flask/comments/" + id)).get("content").asString()).isEqualTo("from Java");

		assertThat(delete("/django/comments/" + id).statusCode()).isEqualTo(204);

		for (String mount : List.of("/flask", "/django", "/api")) {
			assertThat(get(mount + "/comments/" + id).statusCode()).as(mount).isEqualTo(404);
		}
	}

	@Test
	void commentCreatedThroughFastApiIsDeletedThroughDjango() {
		long postId = json(post("/flask/posts", "{\"title\": \"Flask's post\"}")).get("id").asLong();
		HttpResponse<String> created = post("/fastapi/comments",
				jsonText(Map.of("post_id", postId, "content", "from FastAPI")));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		long id = json(created).get("id").asLong();
		assertThat(json(get("/api/comments/" + id)).get("content").asString()).isEqualTo("from FastAPI");

		assertThat(delete("/django/comments/" + id).statusCode()).isEqualTo(204);

		for (String mount : BlogContractTests.mounts()) {
			assertThat(get(mount + "/comments/" + id).statusCode()).as(mount).isEqualTo(404);
		}
	}

	@Test
	void fiftyConcurrentCreatesSpreadOverTheMountsAllLandWithDistinctIds() {
		List<String> mounts = BlogContractTests.mounts();
		List<CompletableFuture<HttpResponse<String>>> requests = IntStream.range(0, 50)
			.mapToObj((i) -> postAsync(mounts.get(i % mounts.size()) + "/posts",
					jsonText(Map.of("title", "Concurrent " + i, "content", "request " + i))))
			.toList();

		List<HttpResponse<String>> responses = requests.stream().map(CompletableFuture::join).toList();

		assertThat(responses).allSatisfy(
				(response) -> assertThat(response.statusCode()).as(response.body()).isEqualTo(201));
		List<Long> ids = responses.stream().map((response) -> json(response).get("id").asLong()).toList();
		assertThat(ids).doesNotHaveDuplicates().hasSize(50);
		List<Long> listed = json(get("/api/posts")).valueStream().map((post) -> post.get("id").asLong()).toList();
		assertThat(listed).containsAll(ids);
		assertThat(responses.stream().map((response) -> json(response).get("title").asString()))
			.containsExactlyInAnyOrderElementsOf(IntStream.range(0, 50).mapToObj((i) -> "Concurrent " + i).toList());
	}

	@Test
	void migratingAgainOnRestartKeepsWhatUsersWroteAndSeedsNothingTwice() {
		long id = json(post("/api/posts", "{\"title\": \"Survives restarts\"}")).get("id").asLong();
		JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);
		int posts = jdbc.queryForObject("SELECT count(*) FROM post", Integer.class);
		int comments = jdbc.queryForObject("SELECT count(*) FROM comment", Integer.class);

		Flyway.configure().dataSource(this.dataSource).load().migrate();

		assertThat(jdbc.queryForObject("SELECT count(*) FROM post", Integer.class)).isEqualTo(posts);
		assertThat(jdbc.queryForObject("SELECT count(*) FROM comment", Integer.class)).isEqualTo(comments);
		assertThat(jdbc.queryForObject("SELECT count(*) FROM post WHERE title = 'Hello from springwsgi'",
				Integer.class)).isOne();
		assertThat(get("/flask/posts/" + id).statusCode()).isEqualTo(200);
	}

}
