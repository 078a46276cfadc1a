package dev.hearth.controlplane.stream;

import java.util.HashMap;
import java.util.Map;

/**
 * How many streams are open, per user and in all: a user past their own cap, or anyone past the
 * server's, is refused. Plain bookkeeping, no I/O.
 */
final class FollowerCount {

    private final int userMax;
    private final int max;
    private final Map<String, Integer> perUser = new HashMap<>();
    private int total;

    FollowerCount(int userMax, int max) {
        if (userMax < 1 || max < userMax) {
            throw new IllegalArgumentException("need 1 <= userMax <= max, got " + userMax + " and " + max);
        }
        this.userMax = userMax;
        this.max = max;
    }

    /** Counts one more stream of {@code owner}, or says why not. */
    synchronized Refusal tryAcquire(String owner) {
        int mine = perUser.getOrDefault(owner, 0);
        if (mine >= userMax) {
            return Refusal.USER;
        }
        if (total >= max) {
            return Refusal.SERVER;
        }
        perUser.put(owner, mine + 1);
        total++;
        return Refusal.NONE;
    }

    /** One stream of {@code owner} has closed. */
    synchronized void release(String owner) {
        Integer mine = perUser.get(owner);
        if (mine == null) {
            throw new IllegalStateException("no stream of " + owner + " is counted");
        }
        if (mine == 1) {
            perUser.remove(owner);
        } else {
            perUser.put(owner, mine - 1);
        }
        total--;
    }

    synchronized int open(String owner) {
        return perUser.getOrDefault(owner, 0);
    }

    synchronized int total() {
        return total;
    }

    enum Refusal {
        NONE, USER, SERVER
    }
}
