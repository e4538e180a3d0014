package io.springwsgi.core.pool;

/**
 * What a pool of contexts is doing now, the same for both strategies.
 *
 * @param size contexts the pool is configured to hold
 * @param ready contexts loaded and able to take a request
 * @param active requests running now: one per busy context in an exclusive pool, all those in
 * flight in a shared one
 * @param waiting requests waiting for a free context (none wait in a shared pool)
 * @param replaced contexts closed and created anew since the pool started
 * @param abandoned of the replaced, those given up while a thread was still running in them:
 * stopped neither by an interrupt nor by a cancel, they hold their memory until it returns
 */
public record PoolStatistics(int size, int ready, int active, int waiting, int replaced, int abandoned) {

}
