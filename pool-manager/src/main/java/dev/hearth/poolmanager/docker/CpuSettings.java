package dev.hearth.poolmanager.docker;

/**
 * How this node's containers share the CPU under contention.
 *
 * @param perUser    divide a weight of {@code baseShares} between each user's containers, so a user
 *                   with many containers gets no more CPU than one with a few; false gives every
 *                   container {@code baseShares} (CPU shared per container)
 * @param baseShares the weight ({@code cpu.shares} on cgroup v1; Docker maps it to {@code cpu.weight}
 *                   on v2) of one user's containers together, and of each pooled container that has
 *                   no user yet; 1024 is Docker's default
 */
public record CpuSettings(boolean perUser, int baseShares) {

    /** The smallest weight the kernel (and Docker) accepts on cgroup v1. */
    public static final int MIN_SHARES = 2;
    /** The largest weight the kernel accepts on cgroup v1. */
    public static final int MAX_SHARES = 262_144;
    public static final CpuSettings DEFAULT = new CpuSettings(true, 1024);

    public CpuSettings {
        if (baseShares < MIN_SHARES || baseShares > MAX_SHARES) {
            throw new IllegalArgumentException("HEARTH_CPU_SHARES must be between " + MIN_SHARES + " and " + MAX_SHARES
                    + ", got " + baseShares);
        }
    }

    /** The weight of each of a user's {@code containers} containers: together they weigh what one would alone. */
    public int divided(int containers) {
        if (!perUser || containers <= 1) {
            return baseShares;
        }
        return Math.max(MIN_SHARES, baseShares / containers);
    }
}
