package io.springwsgi.sample.blog;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * The posts.
 */
public interface PostRepository extends JpaRepository<Post, Long> {

	List<Post> findAllByOrderByIdAsc();

}
