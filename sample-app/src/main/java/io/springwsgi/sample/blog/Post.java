package io.springwsgi.sample.blog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;

/**
 * A blog post; its comments go with it when it is deleted (the schema's {@code ON DELETE CASCADE}).
 */
@Entity
public class Post {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	@Column(nullable = false, length = BlogService.TITLE_MAX_LENGTH)
	private String title;

	@Column(nullable = false)
	private String content;

	protected Post() {
	}

	Post(String title, String content) {
		this.title = title;
		this.content = content;
	}

	public Long getId() {
		return this.id;
	}

	public String getTitle() {
		return this.title;
	}

	public String getContent() {
		return this.content;
	}

	void replace(String title, String content) {
		this.title = title;
		this.content = content;
	}

}
