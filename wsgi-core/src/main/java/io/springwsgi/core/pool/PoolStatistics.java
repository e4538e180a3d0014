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
 * @param abandoned contexts of those replaced that were given up while a thread was still
 * stuck in them; each holds its memory until that thread returns
 */
public record PoolStatistics(int size, int ready, int active, int waiting, int replaced, int abandoned) {

}
