package io.springwsgi.sample.api;

import java.net.URI;
import java.util.List;

import io.springwsgi.sample.blog.BlogService;
import io.springwsgi.sample.blog.CommentView;
import io.springwsgi.sample.blog.InvalidFieldException;
import io.springwsgi.sample.blog.NotFoundException;
import io.springwsgi.sample.blog.PostView;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebInputException;

/**
 * The blog's contract in Java, at {@code /api}: what {@code /flask} and {@code /django} serve
 * too. JPA blocks, so every call runs through {@link Blocking}, never on the event loop.
 */
@RestController
@RequestMapping("/api")
class BlogController {

	private final BlogService blog;

	private final JsonMapper json;

	BlogController(BlogService blog, JsonMapper json) {
		this.blog = blog;
		this.json = json;
	}

	@GetMapping("/posts")
	Mono<List<PostView>> listPosts() {
		return Blocking.call(this.blog::listPosts);
	}

	@PostMapping("/posts")
	Mono<ResponseEntity<PostView>> createPost(@RequestBody(required = false) byte[] body) {
		return Blocking.call(() -> {
			JsonFields fields = JsonFields.parse(this.json, body);
			PostView post = this.blog.createPost(fields.text("title"), fields.text("content"));
			return ResponseEntity.created(URI.create("/api/posts/" + post.id())).body(post);
		});
	}

	@GetMapping("/posts/{id}")
	Mono<PostView> getPost(@PathVariable long id) {
		return Blocking.call(() -> this.blog.getPost(id));
	}

	@PutMapping("/posts/{id}")
	Mono<PostView> updatePost(@PathVariable long id, @RequestBody(required = false) byte[] body) {
		return Blocking.call(() -> {
			JsonFields fields = JsonFields.parse(this.json, body);
			return this.blog.updatePost(id, fields.text("title"), fields.text("content"));
		});
	}

	@DeleteMapping("/posts/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	Mono<Void> deletePost(@PathVariable long id) {
		return Blocking.run(() -> this.blog.deletePost(id));
	}

	@GetMapping("/comments")
	Mono<List<CommentView>> listComments() {
		return Blocking.call(this.blog::listComments);
	}

	@PostMapping("/comments")
	Mono<ResponseEntity<CommentView>> createComment(@RequestBody(required = false) byte[] body) {
		return Blocking.call(() -> {
			JsonFields fields = JsonFields.parse(this.json, body);
			CommentView comment = this.blog.createComment(fields.id("post_id"), fields.text("content"));
			return ResponseEntity.created(URI.create("/api/comments/" + comment.id())).body(comment);
		});
	}

	@GetMapping("/comments/{id}")
	Mono<CommentView> getComment(@PathVariable long id) {
		return Blocking.call(() -> this.blog.getComment(id));
	}

	@PutMapping("/comments/{id}")
	Mono<CommentView> updateComment(@PathVariable long id, @RequestBody(required = false) byte[] body) {
		return Blocking.call(() -> {
			JsonFields fields = JsonFields.parse(this.json, body);
			return this.blog.updateComment(id, fields.id("post_id"), fields.text("content"));
		});
	}

	@DeleteMapping("/comments/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	Mono<Void> deleteComment(@PathVariable long id) {
		return Blocking.run(() -> this.blog.deleteComment(id));
	}

	@ExceptionHandler
	ResponseEntity<ApiError> notFound(NotFoundException ex) {
		return ResponseEntity.status(HttpStatus.NOT_FOUND).body(new ApiError(ex.getMessage()));
	}

	@ExceptionHandler
	ResponseEntity<ApiError> invalidField(InvalidFieldException ex) {
		return ResponseEntity.badRequest().body(new ApiError(ex.getMessage(), ex.getField()));
	}

	@ExceptionHandler
	ResponseEntity<ApiError> invalidRequest(InvalidRequestException ex) {
		return ResponseEntity.badRequest().body(new ApiError(ex.getMessage(), ex.getField()));
	}

	/** A path id that is not a number, say. */
	@ExceptionHandler
	ResponseEntity<ApiError> badInput(ServerWebInputException ex) {
		return ResponseEntity.badRequest().body(new ApiError(ex.getReason()));
	}

}
