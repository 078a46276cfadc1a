package dev.hearth.poolmanager.pool;

import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.PoolConfig;
import dev.hearth.poolmanager.pool.Resting.Prewarmed;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each language's pool of pre-started generic containers ({@link LanguagePool}) at its
 * target: hands them out, the longest ready first, starts replacements in the background, and
 * backs off when starts fail (a broken engine or image) rather than retrying in a loop. It is
 * the only writer of its pools.
 */
final class PrewarmedPools {

    private static final Logger log = LoggerFactory.getLogger(PrewarmedPools.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** Starting a container costs the engine a burst of CPU; the call that took one goes first. */
    private static final Duration DELAY_AFTER_TAKE = Duration.ofMillis(50);

    private final Map<Language, LanguagePool> pools = new EnumMap<>(Language.class);
    private final int poolMemoryMb;
    private final PoolPolicy policy;
    private final Fleet fleet;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;
    private final Clock clock;
    private volatile boolean stopped;

    PrewarmedPools(PoolConfig config, PoolPolicy policy, Fleet fleet, ScheduledExecutorService scheduler,
             ExecutorService workers, Clock clock) {
        config.runtimes().forEach((language, runtime) -> pools.put(language, new LanguagePool(language, fleet.runtime(language), runtime.poolSize())));
        this.poolMemoryMb = config.poolMemoryMb();
        this.policy = policy;
        this.fleet = fleet;
        this.scheduler = scheduler;
        this.workers = workers;
        this.clock = clock;
    }

    boolean serves(Language language) {
        return pools.containsKey(language);
    }

    /** A pre-started container, or null when the pool is empty; a replacement follows either way. */
    ContainerHandle take(Language language) {
        Prewarmed prewarmed = pools.get(language).ready.pollFirst();
        scheduler.schedule(() -> refill(language), DELAY_AFTER_TAKE.toMillis(), TimeUnit.MILLISECONDS);
        return prewarmed == null ? null : prewarmed.container();
    }

    /** Tops every pool up, except while starts are failing: those retry on their own backoff. */
    void refillAll() {
        if (pools.values().stream().allMatch(p -> p.failures.get() == 0)) {
            pools.keySet().forEach(this::refill);
        }
    }

    void refill(Language language) {
        LanguagePool pool = pools.get(language);
        if (stopped || pool == null) {
            return;
        }
        synchronized (pool) {
            int wanted = policy.toStart(pool.ready.size(), pool.starting.get(), pool.target, fleet.containers());
            for (int i = 0; i < wanted && fleet.reservePooled(poolMemoryMb); i++) {
                pool.starting.incrementAndGet();
                try {
                    workers.execute(() -> startOne(pool));
                } catch (RejectedExecutionException e) {
                    pool.starting.decrementAndGet();
                    fleet.releasePooled(poolMemoryMb);
                    return;
                }
            }
        }
    }

    private void startOne(LanguagePool pool) {
        try {
            ContainerHandle container = fleet.start(pool.template, FairShare.POOL, poolMemoryMb, false);
            if (stopped) {
                fleet.discard(container);
                return;
            }
            pool.ready.offerLast(new Prewarmed(container, clock.instant()));
            pool.failures.set(0);
            pool.markIfFilled();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            int failures = pool.failures.incrementAndGet();
            long backoff = Math.min(MAX_BACKOFF.toMillis(), 250L << Math.min(failures, 10));
            log.warn("cannot pre-start a {} container (failure {}; retrying in {} ms): {}",
                    pool.language.id(), failures, backoff, e.getMessage());
            if (!stopped && pool.retryPending.compareAndSet(false, true)) {
                scheduler.schedule(() -> {
                    pool.retryPending.set(false);
                    refill(pool.language);
                }, backoff, TimeUnit.MILLISECONDS);
            }
        } finally {
            pool.starting.decrementAndGet();
        }
    }

    boolean filledOnce() {
        return pools.values().stream().allMatch(LanguagePool::filledOnce);
    }

    Map<String, Integer> waiting() {
        Map<String, Integer> counts = new TreeMap<>();
        pools.forEach((language, pool) -> counts.put(language.id(), pool.ready.size()));
        return counts;
    }

    void stop() {
        stopped = true;
    }
}
