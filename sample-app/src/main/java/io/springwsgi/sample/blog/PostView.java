package io.springwsgi.sample.blog;

/**
 * A post as every mount answers it: {@code {id, title, content}}.
 *
 * @param id the post's id
 * @param title its title
 * @param content its text, possibly empty
 */
public record PostView(long id, String title, String content) {

	static PostView of(Post post) {
		return new PostView(post.getId(), post.getTitle(), post.getContent());
	}

}
