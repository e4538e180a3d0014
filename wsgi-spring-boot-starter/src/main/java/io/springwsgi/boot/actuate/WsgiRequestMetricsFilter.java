package io.springwsgi.boot.actuate;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.http.Outcome;
import io.springwsgi.boot.apps.HostedApp;
import io.springwsgi.boot.web.HostedAppFilter;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseCookie;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * Times every request to a hosted app as {@code wsgi.requests}, tagged with the app's name,
 * the request method, the response status and its outcome. The answers the bridge gives on
 * the app's behalf (413, 503, 504, 500) count like the app's own. The time runs until the
 * response body has been written, so a streamed response counts whole. A response that did not
 * complete, because the client went away or the app failed after sending its headers, has the
 * outcome {@code UNKNOWN}.
 */
public class WsgiRequestMetricsFilter implements HostedAppFilter {

	private static final String METRIC = "wsgi.requests";

	/** Methods outside this set are tagged as one value, so clients cannot grow the tag's values. */
	private static final Set<String> METHODS = Arrays.stream(HttpMethod.values())
		.map(HttpMethod::name)
		.collect(Collectors.toUnmodifiableSet());

	private final MeterRegistry registry;

	/**
	 * Create the filter.
	 * @param registry where the timers go
	 */
	public WsgiRequestMetricsFilter(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public HandlerFilterFunction<ServerResponse, ServerResponse> filterFor(HostedApp app) {
		String name = app.name();
		return (request, next) -> {
			String method = request.method().name();
			Recording recording = new Recording(Timer.start(this.registry), name,
					METHODS.contains(method) ? method : "UNKNOWN");
			return next.handle(request)
				.map((response) -> (ServerResponse) new TimedResponse(response, recording))
				.doOnError((ex) -> recording.record(statusOf(ex), true))
				.doOnCancel(recording::cancelledBeforeResponse);
		};
	}

	private static int statusOf(Throwable failure) {
		return (failure instanceof ResponseStatusException statusException) ? statusException.getStatusCode().value()
				: 500;
	}

	/** One request, recorded once. */
	private final class Recording {

		private final Timer.Sample sample;

		private final String app;

		private final String method;

		private final AtomicBoolean responded = new AtomicBoolean();

		private final AtomicBoolean recorded = new AtomicBoolean();

		Recording(Timer.Sample sample, String app, String method) {
			this.sample = sample;
			this.app = app;
			this.method = method;
		}

		void responded() {
			this.responded.set(true);
		}

		void cancelledBeforeResponse() {
			if (!this.responded.get()) {
				record(-1, false);
			}
		}

		void record(int status, boolean completed) {
			if (!this.recorded.compareAndSet(false, true)) {
				return;
			}
			Outcome outcome = completed ? Outcome.forStatus(status) : Outcome.UNKNOWN;
			this.sample.stop(Timer.builder(METRIC)
				.description("Requests served by a hosted Python app, until their response was written")
				.tag("app", this.app)
				.tag("method", this.method)
				.tag("status", (status > 0) ? Integer.toString(status) : "UNKNOWN")
				.tag("outcome", outcome.name())
				.register(WsgiRequestMetricsFilter.this.registry));
		}

	}

	/** The app's response, recording its request once the body has been written. */
	private static final class TimedResponse implements ServerResponse {

		private final ServerResponse delegate;

		private final Recording recording;

		TimedResponse(ServerResponse delegate, Recording recording) {
			this.delegate = delegate;
			this.recording = recording;
			recording.responded();
		}

		@Override
		public HttpStatusCode statusCode() {
			return this.delegate.statusCode();
		}

		@Override
		public HttpHeaders headers() {
			return this.delegate.headers();
		}

		@Override
		public MultiValueMap<String, ResponseCookie> cookies() {
			return this.delegate.cookies();
		}

		@Override
		public Mono<Void> writeTo(ServerWebExchange exchange, Context context) {
			return this.delegate.writeTo(exchange, context)
				.doFinally((signal) -> this.recording.record(this.delegate.statusCode().value(),
						signal == SignalType.ON_COMPLETE));
		}

	}

}
