package dev.hearth.poolmanager.pool;

/**
 * The node's budget: how many containers, and how much memory their limits add up to. Every
 * container is reserved here before any Docker call and released when it is gone, so the pool
 * never over-commits either. Pure accounting: no I/O ever happens under its lock.
 */
final class Capacity {

    private final int maxContainers;
    private final long maxMemoryMb;
    private int containers;
    private long memoryMb;

    Capacity(int maxContainers, long maxMemoryMb) {
        this.maxContainers = maxContainers;
        this.maxMemoryMb = maxMemoryMb;
    }

    synchronized boolean tryReserve(int containerMemoryMb) {
        if (containers + 1 > maxContainers || memoryMb + containerMemoryMb > maxMemoryMb) {
            return false;
        }
        containers++;
        memoryMb += containerMemoryMb;
        return true;
    }

    synchronized void release(int containerMemoryMb) {
        containers--;
        memoryMb -= containerMemoryMb;
    }

    /** Moves one container's limit; growing needs room, shrinking always succeeds. */
    synchronized boolean tryResize(int fromMb, int toMb) {
        long next = memoryMb - fromMb + toMb;
        if (toMb > fromMb && next > maxMemoryMb) {
            return false;
        }
        memoryMb = next;
        return true;
    }

    synchronized int containers() {
        return containers;
    }

    synchronized long memoryMb() {
        return memoryMb;
    }
}
