package io.springwsgi.sample.blog;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * The comments.
 */
public interface CommentRepository extends JpaRepository<Comment, Long> {

	List<Comment> findAllByOrderByIdAsc();

}
