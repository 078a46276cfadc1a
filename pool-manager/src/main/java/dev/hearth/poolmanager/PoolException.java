package dev.hearth.poolmanager;

/** The platform, not the function, could not serve an invocation. */
public class PoolException extends RuntimeException {

    private final boolean capacity;

    public PoolException(String message, Throwable cause) {
        super(message, cause);
        this.capacity = false;
    }

    private PoolException(String message, boolean capacity) {
        super(message);
        this.capacity = capacity;
    }

    /** The node runs as many containers as it may; the caller should back off and retry. */
    public static PoolException atCapacity(String message) {
        return new PoolException(message, true);
    }

    public static PoolException unavailable(String message) {
        return new PoolException(message, false);
    }

    public boolean atCapacity() {
        return capacity;
    }
}
