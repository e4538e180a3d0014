package io.springwsgi.boot.autoconfigure;

import java.util.concurrent.atomic.AtomicBoolean;

import io.springwsgi.boot.apps.HostedApps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Creates {@link HostedApps}, and so starts loading the Python apps, as soon as the application
 * context creates its first ordinary bean, rather than wherever the bean falls in the order of
 * creation, which is usually after the database, Flyway and JPA. Importing a framework into a
 * context takes seconds of CPU; begun early, it overlaps with the rest of start-up.
 *
 * <p>Created among the bean post-processors, it touches no bean until every post-processor is
 * registered, so {@code HostedApps} and what it depends on are created as usual. It does not
 * start them while one of them is itself being created; if creating them fails, the failure is
 * left to their regular creation to report.
 */
public class AppLoadingTrigger implements BeanPostProcessor, BeanFactoryAware {

	private static final Logger logger = LoggerFactory.getLogger(AppLoadingTrigger.class);

	private final AtomicBoolean started = new AtomicBoolean();

	private ConfigurableListableBeanFactory beanFactory;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		if (beanFactory instanceof ConfigurableListableBeanFactory listable) {
			this.beanFactory = listable;
		}
		else {
			this.started.set(true);
		}
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (!this.started.get() && !dependenciesInCreation() && this.started.compareAndSet(false, true)) {
			try {
				this.beanFactory.getBeanProvider(HostedApps.class).getIfAvailable();
			}
			catch (BeansException ex) {
				logger.debug("Python apps not started early; their regular creation reports why", ex);
			}
		}
		return bean;
	}

	private boolean dependenciesInCreation() {
		for (Class<?> type : new Class<?>[] { HostedApps.class, WsgiAutoConfiguration.class,
				io.springwsgi.core.python.PythonEngine.class, WsgiProperties.class }) {
			for (String name : this.beanFactory.getBeanNamesForType(type, true, false)) {
				if (this.beanFactory.isCurrentlyInCreation(name)) {
					return true;
				}
			}
		}
		return false;
	}

}
