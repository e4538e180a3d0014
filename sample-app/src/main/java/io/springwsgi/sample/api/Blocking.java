package io.springwsgi.sample.api;

import java.util.concurrent.Callable;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Blocking calls (JPA, JDBC) moved off the Netty event loop, onto Reactor's bounded elastic
 * scheduler.
 */
final class Blocking {

	private Blocking() {
	}

	static <T> Mono<T> call(Callable<T> call) {
		return Mono.fromCallable(call).subscribeOn(Schedulers.boundedElastic());
	}

	static Mono<Void> run(Runnable call) {
		return Mono.fromRunnable(call).subscribeOn(Schedulers.boundedElastic()).then();
	}

}
