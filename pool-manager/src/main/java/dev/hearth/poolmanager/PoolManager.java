package dev.hearth.poolmanager;

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
     * Fetches and unpacks a new function's code in the background, so its first call finds it
     * on this node's disk. Optional: a call that comes first fetches the code itself.
     */
    void prepare(FunctionSpec function);

    /** Removes every container of the function, in any version; later calls start afresh. */
    void retire(String functionId);

    /** True once every language's pool has been filled for the first time. */
    boolean warmedUp();

    /** Counts of containers by state, for health and diagnostics. */
    PoolStats stats();

    /** Stops refilling and removes every container this node started. */
    @Override
    void close();
}
