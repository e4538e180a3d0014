package io.springwsgi.boot.apps;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Holds the end of start-up until every hosted app is loaded and warmed up, and fails
 * start-up if one does not load.
 *
 * <p>It starts last, after the web server: while the apps load, the port is open, Java
 * endpoints answer, and requests to an app wait for its first context. Since the refresh has
 * not ended, Spring Boot's readiness stays {@link ReadinessState#REFUSING_TRAFFIC} until the
 * apps are ready, then turns {@link ReadinessState#ACCEPTING_TRAFFIC} as usual. Failing inside
 * the refresh, rather than after it, keeps an import error a start-up failure that
 * {@link WsgiConfigurationFailureAnalyzer} explains, in a {@code SpringApplication} and in a
 * plain refreshed context alike.
 */
public class AppReadinessGate implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(AppReadinessGate.class);

	private final HostedApps hostedApps;

	private final ApplicationEventPublisher events;

	private volatile boolean running;

	public AppReadinessGate(HostedApps hostedApps, ApplicationEventPublisher events) {
		this.hostedApps = hostedApps;
		this.events = events;
	}

	@Override
	public void start() {
		if (!this.hostedApps.startup().isDone()) {
			// The service is alive while it loads; without this a liveness probe answered
			// before the refresh ends would report it broken and have it restarted.
			AvailabilityChangeEvent.publish(this.events, this, LivenessState.CORRECT);
			AvailabilityChangeEvent.publish(this.events, this, ReadinessState.REFUSING_TRAFFIC);
			logger.info("Waiting for the Python apps to load and warm up; the service refuses traffic until then");
		}
		this.hostedApps.awaitStartup();
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * After the web server has started, and after the user's own lifecycle beans.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE;
	}

}
