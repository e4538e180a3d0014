package io.springwsgi.boot.web;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Refuses, right behind Netty's HTTP/1 decoder and so for every route (Java ones too), the
 * requests whose framing RFC 9112 says a server must not act on: a version other than
 * {@code HTTP/1.1} and {@code HTTP/1.0} as spelt (so not {@code http/1.1}), an HTTP/1.1 request without exactly one valid {@code Host}, a transfer coding
 * other than {@code chunked}, both {@code Content-Length} and {@code Transfer-Encoding}, and
 * anything the decoder could not parse (malformed request lines, headers and chunk sizes). The
 * client gets 400, 501 or 505 and the connection is closed, since where the next request
 * starts is no longer known (RFC 9112 section 6.3). Everything that arrives afterwards is
 * dropped, so a body cannot be read as a second request.
 * <p>
 * A connection that has no request in progress must deliver a whole request head within
 * {@link #HEAD_TIMEOUT_SECONDS}, or it is closed: headers trickled in a byte at a time
 * (slowloris) and idle keep-alive connections do not hold the server's connections forever.
 */
final class StrictHttpHandler extends ChannelDuplexHandler {

	private static final Log logger = LogFactory.getLog(StrictHttpHandler.class);

	/** Longest wait for a whole request head when no request is in progress (nginx's default). */
	static final long HEAD_TIMEOUT_SECONDS = 60;

	private boolean refused;

	private boolean responseStarted;

	/** Requests whose head arrived and whose response has not been written whole. */
	private int inProgress;

	private ScheduledFuture<?> headDeadline;

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		if (ctx.channel().isActive()) {
			awaitHead(ctx);
		}
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) {
		awaitHead(ctx);
		ctx.fireChannelActive();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		cancelDeadline();
		ctx.fireChannelInactive();
	}

	private void awaitHead(ChannelHandlerContext ctx) {
		if (this.headDeadline == null) {
			this.headDeadline = ctx.executor().schedule(() -> {
				logger.debug("Closing a connection that sent no whole request head within " + HEAD_TIMEOUT_SECONDS + " s");
				ctx.close();
			}, HEAD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
		}
	}

	private void cancelDeadline() {
		if (this.headDeadline != null) {
			this.headDeadline.cancel(false);
			this.headDeadline = null;
		}
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (this.refused) {
			ReferenceCountUtil.release(msg);
			return;
		}
		if (msg instanceof HttpRequest request) {
			cancelDeadline();
			this.inProgress++;
			this.responseStarted = false;
			Refusal refusal = refusal(request);
			if (refusal != null) {
				ReferenceCountUtil.release(msg);
				refuse(ctx, refusal);
				return;
			}
		}
		else if (msg instanceof HttpContent content && content.decoderResult().isFailure()) {
			ReferenceCountUtil.release(msg);
			refuse(ctx, new Refusal(HttpResponseStatus.BAD_REQUEST,
					"malformed chunked body: " + content.decoderResult().cause().getMessage()));
			return;
		}
		ctx.fireChannelRead(msg);
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		if (msg instanceof HttpResponse response) {
			this.responseStarted = true;
			if (response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
				// A WebSocket from now on: no more HTTP/1 requests on this connection.
				cancelDeadline();
				ctx.write(msg, promise);
				ctx.pipeline().remove(this);
				return;
			}
		}
		if (msg instanceof LastHttpContent && !this.refused && --this.inProgress <= 0) {
			this.inProgress = 0;
			awaitHead(ctx);
		}
		if (this.refused && msg instanceof HttpObject) {
			// The server's own answer to a request refused mid-body: the connection is closing.
			ReferenceCountUtil.release(msg);
			promise.setSuccess();
			return;
		}
		ctx.write(msg, promise);
	}

	private void refuse(ChannelHandlerContext ctx, Refusal refusal) {
		this.refused = true;
		if (logger.isDebugEnabled()) {
			logger.debug("Refused a request from " + ctx.channel().remoteAddress() + " with " + refusal.status()
					+ ": " + refusal.reason());
		}
		ctx.channel().config().setAutoRead(false);
		if (this.responseStarted) {
			ctx.close();
			return;
		}
		byte[] body = (refusal.reason() + "\n").getBytes(StandardCharsets.UTF_8);
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, refusal.status(),
				Unpooled.wrappedBuffer(body));
		response.headers()
			.set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
			.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
			.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
	}

	/** Why a request head is refused, or {@code null} to let it through. */
	static Refusal refusal(HttpRequest request) {
		if (request.decoderResult().isFailure()) {
			return new Refusal(HttpResponseStatus.BAD_REQUEST,
					"malformed request: " + request.decoderResult().cause().getMessage());
		}
		HttpVersion version = request.protocolVersion();
		if (version != HttpVersion.HTTP_1_1 && version != HttpVersion.HTTP_1_0) {
			if (version.majorVersion() == 1 && version.minorVersion() <= 1) {
				// Netty upper-cases the version; only "HTTP/1.1" and "HTTP/1.0" as sent decode
				// to its constants. RFC 9112 section 2.3: HTTP-name is case-sensitive.
				return new Refusal(HttpResponseStatus.BAD_REQUEST, "malformed HTTP version; send HTTP/1.1");
			}
			// RFC 9110 section 15.6.6.
			return new Refusal(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED,
					"HTTP version " + version.text() + " is not supported; send HTTP/1.1");
		}
		List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
		if (version.minorVersion() == 1 && hosts.size() != 1) {
			// RFC 9112 section 3.2: a server MUST respond 400 to an HTTP/1.1 request without a
			// Host field or with more than one.
			return new Refusal(HttpResponseStatus.BAD_REQUEST,
					"an HTTP/1.1 request needs exactly one Host field, this one has " + hosts.size());
		}
		if (!hosts.isEmpty() && !validHost(hosts.get(0))) {
			return new Refusal(HttpResponseStatus.BAD_REQUEST, "invalid Host field");
		}
		List<String> codings = request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
		if (!codings.isEmpty()) {
			return transferCodingRefusal(request, codings);
		}
		return null;
	}

	/**
	 * RFC 9112 section 6.1: a request with a transfer coding the server does not understand
	 * gets 501; chunked must be the final coding and applied once (400 otherwise); section 6.3:
	 * a message with both {@code Transfer-Encoding} and {@code Content-Length} is refused
	 * rather than guessed at.
	 */
	private static Refusal transferCodingRefusal(HttpRequest request, List<String> codings) {
		if (request.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
			return new Refusal(HttpResponseStatus.BAD_REQUEST,
					"a request may not have both Content-Length and Transfer-Encoding");
		}
		int chunked = 0;
		for (String field : codings) {
			for (String coding : field.split(",", -1)) {
				String name = coding.strip().toLowerCase(Locale.ROOT);
				if (!name.equals("chunked")) {
					return new Refusal(HttpResponseStatus.NOT_IMPLEMENTED,
							"transfer coding '" + coding.strip() + "' is not supported; send chunked or Content-Length");
				}
				chunked++;
			}
		}
		if (chunked != 1) {
			return new Refusal(HttpResponseStatus.BAD_REQUEST, "chunked may be applied only once");
		}
		return null;
	}

	/** RFC 9112 section 3.2 and RFC 3986 section 3.2.2: a host and an optional port, no more. */
	private static boolean validHost(String host) {
		for (int i = 0; i < host.length(); i++) {
			char c = host.charAt(i);
			if (c <= ' ' || c >= 0x7f || "/?#@\\\"<>{}|^`".indexOf(c) >= 0) {
				return false;
			}
		}
		return true;
	}

	record Refusal(HttpResponseStatus status, String reason) {
	}

}
