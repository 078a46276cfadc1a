package dev.hearth.poolmanager.pool;

import dev.hearth.poolmanager.pool.Slot.Warm;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The idle warm containers of one function version. Lock-free: whoever removes a container
 * from the deque owns it, so a caller taking it and the reaper evicting it can never both win.
 */
final class Instances {

    private final ConcurrentLinkedDeque<Warm> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean retired;


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
