package io.springwsgi.sample.blog;

import java.util.List;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The blog's rules, shared by every mount: Java's {@code /api} calls it directly, the Python apps
 * through {@code spring.beans.blogService}. Arguments arrive as the request gave them ({@code null}
 * when absent); the rules here decide what is valid, so all mounts agree.
 */
@Service
@Transactional
public class BlogService {

	/** The longest title a post may have. */
	public static final int TITLE_MAX_LENGTH = 100;

	private final PostRepository posts;

	private final CommentRepository comments;

	BlogService(PostRepository posts, CommentRepository comments) {
		this.posts = posts;
		this.comments = comments;
	}

	@Transactional(readOnly = true)
	public List<PostView> listPosts() {
		return this.posts.findAllByOrderByIdAsc().stream().map(PostView::of).toList();
	}

	@Transactional(readOnly = true)
	public PostView getPost(long id) {
		return PostView.of(post(id));
	}

	public PostView createPost(String title, String content) {
		return PostView.of(this.posts.save(new Post(validTitle(title), orEmpty(content))));
	}

	public PostView updatePost(long id, String title, String content) {
		Post post = post(id);
		post.replace(validTitle(title), orEmpty(content));
		return PostView.of(this.posts.saveAndFlush(post));
	}

	/**
	 * Delete a post and, through the schema's cascade, its comments.
	 * @param id the post's id
	 */
	public void deletePost(long id) {
		this.posts.delete(post(id));
	}

	@Transactional(readOnly = true)
	public List<CommentView> listComments() {
		return this.comments.findAllByOrderByIdAsc().stream().map(CommentView::of).toList();
	}

	@Transactional(readOnly = true)
	public CommentView getComment(long id) {
		return CommentView.of(comment(id));
	}

	public CommentView createComment(Long postId, String content) {
		return CommentView.of(this.comments.save(new Comment(existingPost(postId), orEmpty(content))));
	}

	public CommentView updateComment(long id, Long postId, String content) {
		Comment comment = comment(id);
		comment.replace(existingPost(postId), orEmpty(content));
		return CommentView.of(this.comments.saveAndFlush(comment));
	}

	public void deleteComment(long id) {
		this.comments.delete(comment(id));
	}

	private Post post(long id) {
		return this.posts.findById(id).orElseThrow(() -> new NotFoundException("post", id));
	}

	private Comment comment(long id) {
		return this.comments.findById(id).orElseThrow(() -> new NotFoundException("comment", id));
	}

	private Post existingPost(Long postId) {
		if (postId == null) {
			throw new InvalidFieldException("post_id", "is required");
		}
		return this.posts.findById(postId)
			.orElseThrow(() -> new InvalidFieldException("post_id", "no post with id " + postId));
	}

	private static String validTitle(String title) {
		if (title == null || title.isBlank()) {
			throw new InvalidFieldException("title", "is required and may not be blank");
		}
		// Characters as Python's len() and PostgreSQL's varchar(100) count them, not UTF-16 units.
		if (title.codePointCount(0, title.length()) > TITLE_MAX_LENGTH) {
			throw new InvalidFieldException("title", "may be at most " + TITLE_MAX_LENGTH + " characters long");
		}
		return title;
	}

	private static String orEmpty(String content) {
		return (content != null) ? content : "";
	}

}
