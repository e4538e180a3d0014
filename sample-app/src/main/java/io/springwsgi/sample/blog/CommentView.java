package io.springwsgi.sample.blog;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A comment as every mount answers it: {@code {id, post_id, content}}.
 *
 * @param id the comment's id
 * @param postId the id of the post it belongs to
 * @param content its text, possibly empty
 */
public record CommentView(long id, @JsonProperty("post_id") long postId, String content) {

	static CommentView of(Comment comment) {
		return new CommentView(comment.getId(), comment.getPost().getId(), comment.getContent());
	}

}
