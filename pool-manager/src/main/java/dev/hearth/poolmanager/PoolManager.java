package dev.hearth.poolmanager;

import java.util.Set;

/**
 * Runs invocations in containers: keeps generic containers warm per language, specializes
 * them for a function on its first call, reuses them for later calls and evicts them when idle.
 * The control plane reaches it in-process (embedded mode) or over a dispatch transport.
 */
public interface PoolManager extends AutoCloseable {

    /**
     * Runs one invocation and blocks until it ends. Function failures, timeouts and crashes
     * come back as an {@link Outcome}; only the platform's own failures throw.
     *
     * @throws PoolException when no container can be had (capacity, Docker unavailable)
     */
    Invocation invoke(InvokeRequest request);

    /**
     * Gets a function version ready in the background: fetches and unpacks its code, so its
     * first call finds it on this node's disk, and starts its {@code minWarm} containers (kept
     * ready from then on). Call again when the function's settings change. Optional for
     * functions without {@code minWarm}: a call that comes first fetches the code itself.
     */
    void prepare(FunctionSpec function);

    /**
     * Removes every container of the function, in any version (the function was deleted); later
     * calls start afresh, and a call still in flight cannot make the node keep its code again.
     */
    void retire(String functionId);

    /**
     * Drains exactly these versions of the function: their idle containers are removed at once,
     * busy ones after their call ends, their {@code minWarm} is released and their code on the
     * node starts its grace period. The function's other versions are untouched.
     */
    void retireVersions(String functionId, Set<Long> versions);

    /**
     * Makes sure an image function's image is on this node, pulling it when a registry can be
     * reached.
     *
     * @throws UnknownImageException the image is not here and could not be pulled
     * @throws PoolException         the container engine cannot be reached
     */
    void requireImage(String image);

    /** True once every language's pool has been filled for the first time. */
    boolean warmedUp();

    /** Counts of containers by state, for health and diagnostics. */
    PoolStats stats();

    /** Stops refilling and removes every container this node started. */
    @Override
    void close();
}
