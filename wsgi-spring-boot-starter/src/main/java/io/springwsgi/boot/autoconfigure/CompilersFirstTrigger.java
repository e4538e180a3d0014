package io.springwsgi.boot.autoconfigure;

import io.springwsgi.boot.apps.HostedApps;
import io.springwsgi.core.python.CompilersFirst;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * Gives the JIT compilers the CPU first ({@link CompilersFirst}) as soon as every Python app is
 * loaded: loading runs on the threads that would otherwise wait for the compilers, and the
 * warm-up requests, the first real ones and the Java endpoints are what the compilers then
 * compile. Stops with the application context.
 */
class CompilersFirstTrigger implements InitializingBean, DisposableBean {

	private final HostedApps hostedApps;

	private CompilersFirst compilersFirst;

	private boolean closed;

	CompilersFirstTrigger(HostedApps hostedApps) {
		this.hostedApps = hostedApps;
	}

	@Override
	public void afterPropertiesSet() {
		this.hostedApps.loaded().thenRun(this::start);
	}

	private synchronized void start() {
		if (!this.closed && this.compilersFirst == null) {
			this.compilersFirst = CompilersFirst.start();
		}
	}

	@Override
	public synchronized void destroy() {
		this.closed = true;
		if (this.compilersFirst != null) {
			this.compilersFirst.close();
		}
	}

}
