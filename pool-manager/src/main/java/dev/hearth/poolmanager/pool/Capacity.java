package dev.hearth.poolmanager.pool;

import dev.hearth.poolmanager.pool.FairShare.Usage;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The node's budget: how many containers, and how much memory their limits add up to, in all
 * and per owner. Every container is reserved here before any Docker call and released when it
 * is gone, so the pool never over-commits either. A call refused for room leaves a claim
 * ({@link #claim}); while claims are fresh, free room goes to the claimant with the smallest
 * share ({@link FairShare#mayReserve}), and containers of owners above their share give way
 * after their call ({@link #yields}). Pure accounting with time as a parameter: no I/O ever
 * happens under its lock.
 */
final class Capacity {

    /** A claim not renewed this long is dropped: its call got room, gave up, or was answered. */
    static final Duration CLAIM_TTL = Duration.ofMillis(250);

    private record Claim(int memoryMb, long atNanos) {}

    private final int maxContainers;
    private final long maxMemoryMb;
    private final FairShare shares;
    private int containers;
    private long memoryMb;
    private final Map<String, Usage> held = new HashMap<>();
    private final Map<String, Claim> claims = new HashMap<>();

    Capacity(int maxContainers, long maxMemoryMb, FairShare shares) {
        this.maxContainers = maxContainers;
        this.maxMemoryMb = maxMemoryMb;
        this.shares = shares;
    }

    /** Reserves one container for {@code owner}, unless the node is full or a waiting owner with a smaller share comes first. */
    synchronized boolean tryReserve(String owner, int containerMemoryMb, long nowNanos) {
        if (containers + 1 > maxContainers || memoryMb + containerMemoryMb > maxMemoryMb
                || !shares.mayReserve(owner, held, fresh(nowNanos))) {
            return false;
        }
        containers++;
        memoryMb += containerMemoryMb;
        add(owner, 1, containerMemoryMb);
        claims.remove(owner);
        return true;
    }

    /** Records that {@code owner}'s call waits for room; renewed by each refused attempt. */
    synchronized void claim(String owner, int containerMemoryMb, long nowNanos) {
        if (!owner.equals(FairShare.POOL)) {
            claims.put(owner, new Claim(containerMemoryMb, nowNanos));
        }
    }

    synchronized void release(String owner, int containerMemoryMb) {
        containers--;
        memoryMb -= containerMemoryMb;
        add(owner, -1, -containerMemoryMb);
    }

    /** A generic container taken for a function now counts as its owner's. */
    synchronized void move(String from, String to, int containerMemoryMb) {
        add(from, -1, -containerMemoryMb);
        add(to, 1, containerMemoryMb);
    }

    /** Moves one container's limit; growing needs room, shrinking always succeeds. */
    synchronized boolean tryResize(String owner, int fromMb, int toMb) {
        long next = memoryMb - fromMb + toMb;
        if (toMb > fromMb && next > maxMemoryMb) {
            return false;
        }
        memoryMb = next;
        add(owner, 0, toMb - fromMb);
        return true;
    }

    /** Whether the owner's container that just finished a call should make way for a waiting call of another owner. */
    synchronized boolean yields(String owner, int containerMemoryMb, long nowNanos) {
        return !claims.isEmpty() && shares.yields(owner, containerMemoryMb, held, fresh(nowNanos));
    }

    /** What every owner holds now, for decisions made outside the lock. */
    synchronized Map<String, Usage> held() {
        return Map.copyOf(held);
    }

    /** How many more containers of {@code containerMemoryMb} fit the node now, by count and by memory. */
    synchronized int free(int containerMemoryMb) {
        long byMemory = (maxMemoryMb - memoryMb) / Math.max(1, containerMemoryMb);
        return (int) Math.max(0, Math.min(maxContainers - containers, byMemory));
    }

    synchronized int containers() {
        return containers;
    }

    synchronized long memoryMb() {
        return memoryMb;
    }

    private void add(String owner, int moreContainers, long moreMb) {
        Usage next = held.getOrDefault(owner, Usage.NONE).plus(moreContainers, moreMb);
        if (next.containers() <= 0 && next.memoryMb() <= 0) {
            held.remove(owner);
        } else {
            held.put(owner, next);
        }
    }

    /** The claims still fresh (owner to the memory asked); stale ones are dropped. */
    private Map<String, Integer> fresh(long nowNanos) {
        if (claims.isEmpty()) {
            return Map.of();
        }
        Map<String, Integer> fresh = new HashMap<>();
        for (Iterator<Map.Entry<String, Claim>> it = claims.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (nowNanos - entry.getValue().atNanos() > CLAIM_TTL.toNanos()) {
                it.remove();
            } else {
                fresh.put(entry.getKey(), entry.getValue().memoryMb());
            }
        }
        return fresh;
    }
}
