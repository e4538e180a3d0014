package io.springwsgi.sample.blog;

/**
 * No post or comment has the id asked for; every mount answers 404.
 */
public class NotFoundException extends RuntimeException {

	NotFoundException(String kind, long id) {
		super("no " + kind + " with id " + id);
	}

}
