package dev.hearth.poolmanager.pool;

import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.FunctionSpec.VersionKey;
import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.PoolConfig;
import dev.hearth.poolmanager.PoolSizingSettings;
import dev.hearth.poolmanager.pool.Resting.Prewarmed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each language's pool of pre-started generic containers ({@link LanguagePool}) at its
 * target, which follows demand ({@link PoolSizing}: specializations, and new versions whose first call is to
 * come, each expected for a window, {@link ExpectedCalls}): hands them out, the longest ready first,
 * starts replacements in the background, at most {@code startConcurrency} at once for all
 * languages, removes surplus ones at a bounded rate once demand falls, gives one up first when a
 * call needs room, and backs off when starts fail (a broken engine or image) rather than
 * retrying in a loop. It is the only writer of its pools.
 */
final class PrewarmedPools {

    private static final Logger log = LoggerFactory.getLogger(PrewarmedPools.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** Starting a container costs the engine a burst of CPU; the call that took one goes first. */
    private static final Duration DELAY_AFTER_TAKE = Duration.ofMillis(50);
    private static final Duration MIN_TICK = Duration.ofMillis(250);

    private final Map<Language, LanguagePool> pools = new EnumMap<>(Language.class);
    private final int poolMemoryMb;
    private final PoolSizingSettings sizing;
    private final PoolPolicy policy;
    private final Fleet fleet;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;
    private final Clock clock;
    /** Starts under way, all languages together. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Duration tick;
    private volatile boolean stopped;

    /** @param workers runs the starts; {@code startConcurrency} of them run at once at most */
    PrewarmedPools(PoolConfig config, PoolPolicy policy, Fleet fleet, ScheduledExecutorService scheduler,
             ExecutorService workers, Clock clock) {
        this.sizing = config.sizing();
        config.runtimes().forEach((language, runtime) -> pools.put(language, new LanguagePool(language,
                fleet.runtime(language), runtime.poolSize(), runtime.maxPoolSize(), sizing.window())));
        this.poolMemoryMb = config.poolMemoryMb();
        this.policy = policy;
        this.fleet = fleet;
        this.scheduler = scheduler;
        this.workers = workers;
        this.clock = clock;
        Duration bucket = new DemandWindow(sizing.window()).bucket();
        this.tick = bucket.compareTo(MIN_TICK) < 0 ? MIN_TICK : bucket;
    }

    boolean serves(Language language) {
        return pools.containsKey(language);
    }

    /**
     * Whether {@code function}'s first call could be served from {@code language}'s pool: pooled
     * containers have no network, and a heap sized for the pool's memory where the runtime cannot resize.
     */
    boolean fits(FunctionSpec function, Language language) {
        return serves(language) && !function.egress()
                && (language.resizable() || function.memoryMb() == poolMemoryMb);
    }

    /**
     * A pre-started container for a specialization of {@code version}, or null when the pool is
     * empty; a replacement follows either way.
     */
    ContainerHandle take(Language language, VersionKey version) {
        LanguagePool pool = pools.get(language);
        pool.taken(version, clock.instant());
        Prewarmed prewarmed = pool.ready.pollFirst();
        scheduler.schedule(() -> refill(language), DELAY_AFTER_TAKE.toMillis(), TimeUnit.MILLISECONDS);
        return prewarmed == null ? null : prewarmed.container();
    }

    /**
     * A specialization of {@code version} is to come (it was deployed, and its first call usually
     * follows soon): it is expected for a window, so the pool grows ahead of the call by one
     * container per version expected.
     */
    void expect(Language language, VersionKey version) {
        LanguagePool pool = pools.get(language);
        pool.expect(version, clock.instant());
        if (pool.failures.get() == 0) {
            refill(language);
        }
    }

    /**
     * The versions {@code retired} picks were retired: their first calls are expected no longer,
     * and the pools shrink back at their next ticks.
     */
    void withdraw(Predicate<VersionKey> retired) {
        pools.values().forEach(pool -> pool.withdraw(retired));
    }

    /** Tops every pool up, except while starts are failing: those retry on their own backoff. */
    void refillAll() {
        if (pools.values().stream().allMatch(p -> p.failures.get() == 0)) {
            pools.keySet().forEach(this::refill);
        }
    }

    /** Every pool whose starts are not failing, topped up. */
    private void refillHealthy() {
        pools.forEach((language, pool) -> {
            if (pool.failures.get() == 0) {
                refill(language);
            }
        });
    }

    /** The pool's target now, from its demand and the node's free room. */
    int target(Language language) {
        return targetAt(pools.get(language), clock.instant());
    }

    void refill(Language language) {
        LanguagePool pool = pools.get(language);
        if (stopped || pool == null) {
            return;
        }
        synchronized (pool) {
            int wanted = policy.toStart(pool.ready.size(), pool.starting.get(), target(language), fleet.containers());
            for (int i = 0; i < wanted && claimStart(); i++) {
                if (!fleet.reservePooled(poolMemoryMb)) {
                    inFlight.decrementAndGet();
                    return;
                }
                pool.starting.incrementAndGet();
                try {
                    workers.execute(() -> startOne(pool));
                } catch (RejectedExecutionException e) {
                    pool.starting.decrementAndGet();
                    inFlight.decrementAndGet();
                    fleet.releasePooled(poolMemoryMb);
                    return;
                }
            }
        }
    }

    /** Takes one of the {@code startConcurrency} places for a start; false when all are taken. */
    private boolean claimStart() {
        if (inFlight.incrementAndGet() <= sizing.startConcurrency()) {
            return true;
        }
        inFlight.decrementAndGet();
        return false;
    }

    private void startOne(LanguagePool pool) {
        boolean started = false;
        Instant begun = clock.instant();
        try {
            ContainerHandle container = fleet.start(pool.template, FairShare.POOL, poolMemoryMb, false);
            if (stopped) {
                fleet.discard(container);
                return;
            }
            pool.started(Duration.between(begun, clock.instant()));
            pool.ready.offerLast(new Prewarmed(container, clock.instant()));
            pool.failures.set(0);
            pool.markIfFilled();
            started = true;
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
            inFlight.decrementAndGet();
        }
        if (started) {
            // The place this start held goes to the next one wanted, this pool's or another's.
            refillHealthy();
        }
    }

    /** Schedules the first {@link #tick}; each one schedules the next. */
    void startTicking() {
        scheduler.schedule(this::tickAndReschedule, tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tickAndReschedule() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.warn("pool sizing failed", e);
        } finally {
            if (!stopped) {
                scheduler.schedule(this::tickAndReschedule, tick.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * Follows the targets: removes surplus idle containers of pools above theirs (at most
     * {@code shrinkPerSecond} per language, the most recently started first) and tops up the others.
     */
    void tick() {
        if (stopped) {
            return;
        }
        pools.forEach((language, pool) -> {
            int remove;
            synchronized (pool) {
                remove = PoolSizing.toRemove(pool.ready.size(), pool.starting.get(), target(language),
                        sizing.shrinkPerSecond(), tick);
            }
            for (int i = 0; i < remove; i++) {
                Prewarmed surplus = pool.ready.pollLast();
                if (surplus == null) {
                    break;
                }
                log.debug("removing surplus pre-started {} container {}", language.id(), surplus.container().id());
                fleet.discard(surplus.container());
            }
        });
        refillHealthy();
    }

    /**
     * Removes one idle generic container so that a call gets its room: generic containers are
     * nobody's, so they go before any user's. From the pool furthest above its target (then its
     * floor), the most recently started. False when every pool is empty.
     */
    boolean giveUpOne() {
        Instant now = clock.instant();
        Comparator<LanguagePool> surplus = Comparator.comparingInt((LanguagePool p) -> p.ready.size() - targetAt(p, now))
                .thenComparingInt(p -> p.ready.size() - p.floor)
                .thenComparingInt(p -> p.ready.size());
        for (LanguagePool pool : pools.values().stream().sorted(surplus.reversed()).toList()) {
            Prewarmed given = pool.ready.pollLast();
            if (given != null) {
                log.debug("removing pre-started {} container {} to make room for a call", pool.language.id(),
                        given.container().id());
                fleet.discard(given.container());
                return true;
            }
        }
        return false;
    }

    private int targetAt(LanguagePool pool, Instant now) {
        return PoolSizing.target(pool.floor, pool.ceiling, pool.rate(now), pool.startTime(), sizing.headroom(),
                pool.expected(now), fleet.freeSlots(poolMemoryMb), pool.ready.size() + pool.starting.get());
    }

    boolean filledOnce() {
        return pools.values().stream().allMatch(LanguagePool::filledOnce);
    }

    Map<String, Integer> waiting() {
        Map<String, Integer> counts = new TreeMap<>();
        pools.forEach((language, pool) -> counts.put(language.id(), pool.ready.size()));
        return counts;
    }

    /** Generic containers being started now, by language id. */
    Map<String, Integer> starting() {
        Map<String, Integer> counts = new TreeMap<>();
        pools.forEach((language, pool) -> counts.put(language.id(), pool.starting.get()));
        return counts;
    }

    void stop() {
        stopped = true;
    }
}
