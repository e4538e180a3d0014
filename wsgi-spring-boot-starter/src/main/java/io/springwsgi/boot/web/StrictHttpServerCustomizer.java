package io.springwsgi.boot.web;

import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;

/**
 * Puts a {@link StrictHttpHandler} behind the HTTP/1 decoder of every connection of the
 * Reactor Netty server, so requests with framing that RFC 9112 does not allow are refused
 * before any route, Python or Java, sees them.
 */
public final class StrictHttpServerCustomizer implements NettyServerCustomizer {

	private static final String HANDLER_NAME = "springwsgi.strictHttp";

	@Override
	public HttpServer apply(HttpServer server) {
		return server.doOnChannelInit((observer, channel, remoteAddress) -> {
			if (channel.pipeline().get(NettyPipeline.HttpCodec) != null
					&& channel.pipeline().get(HANDLER_NAME) == null) {
				channel.pipeline().addAfter(NettyPipeline.HttpCodec, HANDLER_NAME, new StrictHttpHandler());
			}
		});
	}

}
