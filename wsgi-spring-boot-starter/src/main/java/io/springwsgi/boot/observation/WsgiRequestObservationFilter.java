package io.springwsgi.boot.observation;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.springwsgi.boot.apps.HostedApp;
import io.springwsgi.boot.web.HostedAppExchange;
import io.springwsgi.boot.web.HostedAppFilter;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseCookie;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * Observes every request to a hosted app as {@code wsgi.requests}: Spring Boot's metrics make a
 * timer of it, its tracing a span, child of the server's {@code http.server.requests} span. The
 * answers the bridge gives on the app's behalf (413, 503, 504, 500) count like the app's own. The
 * observation lasts until the response body has been written, so a streamed response counts
 * whole. The span's W3C trace context reaches the app ({@link HostedAppExchange#TRACE_CONTEXT}),
 * and the app's calls into Spring beans run in the observation ({@link TracedRequests}).
 */
public class WsgiRequestObservationFilter implements HostedAppFilter {

	private final ObservationRegistry registry;

	private final WsgiRequestObservationConvention convention;

	private final TraceContextSource traceContextSource;

	private final TracedRequests tracedRequests;

	/**
	 * Create the filter.
	 * @param registry where the observations go
	 * @param convention the observation's name and key values
	 * @param traceContextSource the trace context of an observation's span
	 * @param tracedRequests where the app's calls into the host find their request
	 */
	public WsgiRequestObservationFilter(ObservationRegistry registry, WsgiRequestObservationConvention convention,
			TraceContextSource traceContextSource, TracedRequests tracedRequests) {
		this.registry = registry;
		this.convention = convention;
		this.traceContextSource = traceContextSource;
		this.tracedRequests = tracedRequests;
	}

	@Override
	public HandlerFilterFunction<ServerResponse, ServerResponse> filterFor(HostedApp app) {
		String name = app.name();
		return (request, next) -> Mono.deferContextual((reactorContext) -> {
			Observation parent = reactorContext.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
			Recording recording = start(name, request, parent);
			return next.handle(request)
				.map((response) -> (ServerResponse) new ObservedResponse(response, recording))
				.doOnError((ex) -> recording.stop(statusOf(ex), true, ex))
				.doOnCancel(recording::cancelledBeforeResponse)
				.contextWrite((context) -> context.put(ObservationThreadLocalAccessor.KEY, recording.observation));
		});
	}

	private Recording start(String app, ServerRequest request, Observation parent) {
		WsgiRequestObservationContext context = new WsgiRequestObservationContext(app, request.method().name(),
				request.path());
		// A convention set on the registry wins over this one, as for Spring's own observations.
		Observation observation = Observation.createNotStarted(null, this.convention, () -> context, this.registry)
			.parentObservation(parent)
			.start();
		Map<String, String> traceContext = this.traceContextSource.traceContext(observation);
		String traceparent = traceContext.get("traceparent");
		if (traceparent != null) {
			request.exchange().getAttributes().put(HostedAppExchange.TRACE_CONTEXT, traceContext);
			this.tracedRequests.started(traceparent, observation);
		}
		return new Recording(observation, context, traceparent, request.exchange());
	}

	private static int statusOf(Throwable failure) {
		return (failure instanceof ResponseStatusException statusException) ? statusException.getStatusCode().value()
				: 500;
	}

	/** One request, stopped once. */
	private final class Recording {

		private final Observation observation;

		private final WsgiRequestObservationContext context;

		private final String traceparent;

		private final ServerWebExchange exchange;

		private final AtomicBoolean responded = new AtomicBoolean();

		private final AtomicBoolean stopped = new AtomicBoolean();

		Recording(Observation observation, WsgiRequestObservationContext context, String traceparent,
				ServerWebExchange exchange) {
			this.observation = observation;
			this.context = context;
			this.traceparent = traceparent;
			this.exchange = exchange;
		}

		void responded() {
			this.responded.set(true);
		}

		void cancelledBeforeResponse() {
			if (!this.responded.get()) {
				stop(-1, false, null);
			}
		}

		void stop(int status, boolean completed, Throwable failure) {
			if (!this.stopped.compareAndSet(false, true)) {
				return;
			}
			if (this.traceparent != null) {
				WsgiRequestObservationFilter.this.tracedRequests.stopped(this.traceparent);
			}
			this.context.answered(status, completed, this.exchange.getAttribute(HostedAppExchange.ROUTE));
			if (failure != null) {
				this.observation.error(failure);
			}
			this.observation.stop();
		}

	}

	/** The app's response, stopping its request's observation once the body has been written. */
	private static final class ObservedResponse implements ServerResponse {

		private final ServerResponse delegate;

		private final Recording recording;

		ObservedResponse(ServerResponse delegate, Recording recording) {
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
				.doOnError((ex) -> this.recording.observation.error(ex))
				.doFinally((signal) -> this.recording.stop(this.delegate.statusCode().value(),
						signal == SignalType.ON_COMPLETE, null));
		}

	}

}
