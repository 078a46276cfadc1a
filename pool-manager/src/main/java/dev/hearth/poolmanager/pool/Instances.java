package dev.hearth.poolmanager.pool;

import dev.hearth.poolmanager.pool.Slot.Warm;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import dev.hearth.poolmanager.FunctionSpec;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The idle warm containers of one function version. Lock-free: whoever removes a container
 * from the deque owns it, so a caller taking it and the reaper evicting it can never both win.
 */
final class Instances {

    /** The versions with idle containers, and how many each. */
    static Map<FunctionSpec.VersionKey, Integer> idleByVersion(Map<FunctionSpec.VersionKey, Instances> sets) {
        return sets.entrySet().stream().filter(e -> e.getValue().idleCount() > 0)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().idleCount(), (a, b) -> a));
    }

    /** The versions kept ready ({@code minWarm} above 0). */
    static Set<FunctionSpec.VersionKey> kept(Map<FunctionSpec.VersionKey, Instances> sets) {
        return sets.entrySet().stream().filter(e -> e.getValue().minWarm() > 0).map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    private final ConcurrentLinkedDeque<Warm> idle = new ConcurrentLinkedDeque<>();
    /** Containers being made ready ahead of any call, so two top-ups never start the same ones. */
    private final AtomicInteger provisioning = new AtomicInteger();
    private volatile boolean retired;
    /** The version as last prepared, with its {@code minWarm}; null when never prepared. */
    private volatile FunctionSpec prepared;

    /** Records the function's settings, for keeping {@code minWarm} containers ready. */
    void prepared(FunctionSpec function) {
        this.prepared = function;
    }

    FunctionSpec prepared() {
        return prepared;
    }

    int minWarm() {
        FunctionSpec function = prepared;
        return function == null ? 0 : function.minWarm();
    }

    /** How many containers to start so that {@code minWarm} wait idle; reserves them against other top-ups. */
    int claimMissing() {
        while (true) {
            int starting = provisioning.get();
            int missing = retired ? 0 : minWarm() - idle.size() - starting;
            if (missing <= 0) {
                return 0;
            }
            if (provisioning.compareAndSet(starting, starting + missing)) {
                return missing;
            }
        }
    }

    /** One container claimed by {@link #claimMissing()} is ready or has failed. */
    void provisioned() {
        provisioning.decrementAndGet();
    }


    /** The most recently used idle container, or null. */
    Warm take() {
        return idle.pollFirst();
    }

    /**
     * Puts a container back after a call. Returns false when the function was retired meanwhile;
     * the caller then owns the container and must remove it.
     */
    boolean giveBack(Warm warm) {
        if (retired) {
            return false;
        }
        idle.offerFirst(warm);
        // A retire() that drained between the check and the offer would miss this one.
        return !retired || !idle.remove(warm);
    }

    /** Claims one idle container for eviction; false when a caller took it first. */
    boolean claim(Warm warm) {
        return idle.remove(warm);
    }

    /** Marks the version gone and hands over every idle container for removal. */
    List<Warm> retire() {
        retired = true;
        List<Warm> drained = new java.util.ArrayList<>();
        Warm w;
        while ((w = idle.pollFirst()) != null) {
            drained.add(w);
        }
        return drained;
    }

    List<Warm> idleSnapshot() {
        return List.copyOf(idle);
    }

    int idleCount() {
        return idle.size();
    }
}
