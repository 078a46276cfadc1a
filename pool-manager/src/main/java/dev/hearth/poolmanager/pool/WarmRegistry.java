package dev.hearth.poolmanager.pool;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.FunctionSpec.VersionKey;
import dev.hearth.poolmanager.PoolException;
import dev.hearth.poolmanager.pool.Resting.Warm;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The function versions this node has warm containers for, one {@link WarmSet} each, and the
 * reaper that keeps them: it evicts idle containers past their timeout (as {@link PoolPolicy}
 * decides, never the ones a version keeps), keeps each version's provisioned share of its
 * {@code minWarm} started, and, asked by the {@link Fleet} for room, evicts one idle container by
 * {@link FairShare}. A version untouched for {@code forgetAfter} is forgotten, unless it keeps
 * containers ready.
 */
final class WarmRegistry implements RoomMaker {

    private static final Logger log = LoggerFactory.getLogger(WarmRegistry.class);
    private static final Duration FOREVER = Duration.ofDays(365 * 100);

    private final PoolPolicy policy;
    private final FairShare shares;
    private final Fleet fleet;
    private final Starter starter;
    private final PrewarmedPools prewarmed;
    private final ScheduledExecutorService scheduler;
    private final Executor workers;
    private final Clock clock;
    private final Cache<VersionKey, WarmSet> sets;
    private volatile boolean closed;

    /**
     * @param forgetAfter how long an untouched version is kept (by then it has no warm container left)
     * @param scheduler   runs the sweeps
     * @param workers     runs the starts that keep versions ready
     */
    WarmRegistry(PoolPolicy policy, FairShare shares, Duration forgetAfter, Fleet fleet, Starter starter,
                 PrewarmedPools prewarmed, ScheduledExecutorService scheduler, Executor workers, Clock clock) {
        this.policy = policy;
        this.shares = shares;
        this.fleet = fleet;
        this.starter = starter;
        this.prewarmed = prewarmed;
        this.scheduler = scheduler;
        this.workers = workers;
        this.clock = clock;
        this.sets = Caffeine.newBuilder()
                .expireAfter(Expiry.accessing((VersionKey key, WarmSet set) -> set.minWarm() > 0 ? FOREVER : forgetAfter))
                .evictionListener((VersionKey key, WarmSet set, RemovalCause cause) -> {
                    if (set != null) {
                        set.retire().forEach(w -> fleet.discard(w.container()));
                    }
                })
                .build();
    }

    /** Whether the version has been called or prepared with {@code minWarm} here (and not forgotten since). */
    boolean knows(VersionKey key) {
        return sets.getIfPresent(key) != null;
    }

    /** The version's set, made empty on its first call. */
    WarmSet setFor(FunctionSpec function) {
        return sets.get(function.key(), key -> new WarmSet(function.owner()));
    }

    /** Schedules the first sweep; each sweep schedules the next. */
    void startSweeping() {
        scheduler.schedule(this::sweepAndReschedule, policy.nextSweep(List.of(), clock.instant()).toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Records the version's settings and starts the containers its {@code minWarm} keeps ready;
     * a version with no {@code minWarm} and no set yet is left to its first call.
     */
    void prepare(FunctionSpec function) {
        if (function.minWarm() == 0 && sets.getIfPresent(function.key()) == null) {
            return;
        }
        // compute() counts as a write, so the cache re-reads the set's expiry (minWarm sets never expire).
        WarmSet set = sets.asMap().compute(function.key(), (key, existing) -> {
            WarmSet s = existing == null ? new WarmSet(function.owner()) : existing;
            s.prepared(function);
            return s;
        });
        divideProvisioned();
        provision(set);
    }

    /**
     * Evicts one idle warm container so that {@code owner} gets room, as {@link FairShare#victim}
     * allows: from the user furthest above their share, or one of the owner's own.
     */
    @Override
    public boolean makeRoom(String owner, int memoryMb) {
        List<FairShare.Idle> idle = new ArrayList<>();
        for (WarmSet set : sets.asMap().values()) {
            List<Warm> snapshot = set.idleSnapshot();
            // Most recently used first: the first kept() of them are the provisioned ones.
            for (int i = 0; i < snapshot.size(); i++) {
                Warm warm = snapshot.get(i);
                idle.add(new FairShare.Idle(warm, set.owner(), warm.container().memoryMb(), i < set.kept()));
            }
        }
        return shares.victim(idle, fleet.held(), owner, memoryMb).map(victim -> {
            WarmSet set = sets.getIfPresent(victim.warm().function());
            if (set == null || !set.claim(victim.warm())) {
                return false;
            }
            log.debug("evicting idle container {} of user {} to make room for user {}", victim.warm().container().id(),
                    victim.owner(), owner);
            fleet.discard(victim.warm().container());
            return true;
        }).orElse(false);
    }

    /**
     * Evicts the idle containers expired at {@code now} beyond what each version keeps, tops the
     * kept ones and the pools up, and returns how long to wait before the next sweep.
     */
    Duration sweep(Instant now) {
        List<Warm> remaining = new ArrayList<>();
        divideProvisioned();
        for (WarmSet set : sets.asMap().values()) {
            List<Warm> idle = new ArrayList<>(set.idleSnapshot());
            // Least recently used first; the last kept() of them stay whatever their age.
            Collections.reverse(idle);
            for (Warm warm : idle) {
                if (!policy.expired(warm, now)) {
                    remaining.add(warm);
                } else if (set.idleCount() > set.kept() && set.claim(warm)) {
                    log.debug("evicting idle container {} of {}", warm.container().id(), warm.function());
                    fleet.discard(warm.container());
                }
            }
            if (set.kept() > 0) {
                provision(set);
            }
        }
        prewarmed.refillAll();
        return policy.nextSweep(remaining, now);
    }

    private void sweepAndReschedule() {
        Duration delay = PoolPolicy.MAX_SWEEP_DELAY;
        try {
            delay = sweep(clock.instant());
        } catch (RuntimeException e) {
            log.warn("pool sweep failed", e);
        } finally {
            if (!closed) {
                scheduler.schedule(this::sweepAndReschedule, delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Divides the node's provisioned share between the versions that keep containers ready. */
    private void divideProvisioned() {
        List<FairShare.Wanted> wanted = new ArrayList<>();
        sets.asMap().forEach((key, set) -> {
            FunctionSpec prepared = set.prepared();
            if (prepared != null && prepared.minWarm() > 0) {
                wanted.add(new FairShare.Wanted(key, set.owner(), prepared.minWarm(), prepared.memoryMb()));
            }
        });
        Map<VersionKey, Integer> allowed = shares.provisioned(wanted);
        sets.asMap().forEach((key, set) -> set.keep(allowed.getOrDefault(key, 0)));
    }

    /** Starts, in the background, the containers that keep the set's {@code minWarm} ready. */
    private void provision(WarmSet set) {
        FunctionSpec function = set.prepared();
        int missing = set.claimMissing();
        for (int i = 0; i < missing; i++) {
            try {
                workers.execute(() -> provisionOne(set, function));
            } catch (RejectedExecutionException e) {
                set.provisioned();
                log.debug("not starting background work: shutting down");
            }
        }
    }

    private void provisionOne(WarmSet set, FunctionSpec function) {
        try {
            // Background work: it takes free room or fairly evictable room, and never makes a call wait.
            Starter.Ready ready = starter.start(function, Demand.background(function.owner()));
            if (ready.failure() != null) {
                log.warn("cannot keep {} warm: {}", function.name(), ready.failure());
            } else if (closed || !set.giveBack(new Warm(ready.container(), function.key(), clock.instant()))) {
                fleet.discard(ready.container());
            }
        } catch (PoolException e) {
            if (e.atCapacity()) {
                log.debug("cannot keep {} warm now, the node is full; the sweep tries again: {}", function.name(), e.getMessage());
            } else {
                log.warn("cannot keep {} warm: {}", function.name(), e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            set.provisioned();
        }
    }

    /** Every version of the function is drained: idle containers are removed, busy ones after their call. */
    void retire(String functionId) {
        retireWhere(key -> key.functionId().equals(functionId));
    }

    /**
     * Exactly these versions of the function are drained, as {@link #retire}, and what they kept
     * ready goes back to the other versions' share; the function's other versions are untouched.
     */
    void retireVersions(String functionId, Set<Long> versions) {
        retireWhere(key -> key.functionId().equals(functionId) && versions.contains(key.version()));
    }

    private void retireWhere(Predicate<VersionKey> retired) {
        for (VersionKey key : List.copyOf(sets.asMap().keySet())) {
            if (retired.test(key)) {
                WarmSet set = sets.asMap().remove(key);
                if (set != null) {
                    set.retire().forEach(w -> fleet.remove(w.container()));
                }
            }
        }
        divideProvisioned();
    }

    /** The versions with idle containers, and how many each. */
    Map<VersionKey, Integer> idleByVersion() {
        return sets.asMap().entrySet().stream().filter(e -> e.getValue().idleCount() > 0)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().idleCount(), (a, b) -> a));
    }

    /** The versions kept ready ({@code minWarm} above 0). */
    Set<VersionKey> keptVersions() {
        return sets.asMap().entrySet().stream().filter(e -> e.getValue().minWarm() > 0).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    /** Stops sweeping; containers started to keep versions ready from now on are removed. */
    void close() {
        closed = true;
    }
}
