package io.springwsgi.boot;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets Python requests wait for each other: requests that meet in one group all run at once,
 * so requests to a pool of as many contexts each run in a context of their own.
 */
public class Rendezvous {

	private final Map<String, CountDownLatch> groups = new ConcurrentHashMap<>();

	/**
	 * Wait until {@code parties} callers have arrived with the same {@code group}.
	 * @param group names the callers that wait for each other
	 * @param parties how many they are
	 * @throws InterruptedException if the calling thread is interrupted
	 */
	public void meet(String group, int parties) throws InterruptedException {
		CountDownLatch latch = this.groups.computeIfAbsent(group, (key) -> new CountDownLatch(parties));
		latch.countDown();
		if (!latch.await(2, TimeUnit.MINUTES)) {
			throw new IllegalStateException("only " + (parties - latch.getCount()) + " of " + parties
					+ " requests of group '" + group + "' arrived: they did not run at once");
		}
	}

}
