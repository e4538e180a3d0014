package io.springwsgi.boot.web;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.channel.EventLoop;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;

/**
 * The scheduler a response is handed back to when its Python thread is done: the event loop
 * of the request's own connection, which writes it anyway, so the hand-off costs one task and
 * no thread of its own. Requests that did not come through Reactor Netty get Reactor's
 * parallel scheduler.
 */
final class EventLoopSchedulers {

	/** One scheduler per event loop; a server has as many event loops as cores. */
	private final Map<EventLoop, Scheduler> schedulers = new ConcurrentHashMap<>();

	Scheduler of(ServerHttpRequest request) {
		Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
		if (nativeRequest instanceof Connection connection) {
			return this.schedulers.computeIfAbsent(connection.channel().eventLoop(), Schedulers::fromExecutor);
		}
		return Schedulers.parallel();
	}

}
