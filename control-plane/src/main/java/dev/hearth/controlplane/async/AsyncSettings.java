package dev.hearth.controlplane.async;

import java.time.Duration;
import java.util.Objects;

/**
 * How async invocations are retried and run.
 *
 * @param workers          async invocations this process runs at once, all users together
 * @param privateCallbacks callbacks may go to special-purpose (loopback, private, link-local …) and
 *                         this machine's own addresses; off by default, so a user cannot make
 *                         Hearth post into its own network
 * @param ackWait          distributed mode: a job whose control plane stopped extending its claim
 *                         this long is delivered again (to another control plane)
 * @param userMaxRunning   async invocations of one user this process runs at once, so the other
 *                         workers stay free for other users
 * @param userMaxQueued    unfinished (queued, running or awaiting a retry) async invocations one
 *                         user may have; past it a submission is refused with 429
 */
public record AsyncSettings(int maxAttempts, Duration retryBase, int workers, boolean privateCallbacks, Duration ackWait,
                            int userMaxRunning, int userMaxQueued, Callbacks callbacks) {
    public AsyncSettings {
        if (maxAttempts < 1 || workers < 1 || retryBase.isNegative() || ackWait.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("async settings out of range: at least 1 attempt, 1 worker, an ack wait of 1 s");
        }
        if (userMaxRunning < 1 || userMaxRunning > workers || userMaxQueued < 1) {
            throw new IllegalArgumentException("HEARTH_ASYNC_USER_MAX_RUNNING must be between 1 and HEARTH_ASYNC_WORKERS ("
                    + workers + "), HEARTH_ASYNC_USER_MAX_QUEUED at least 1");
        }
        Objects.requireNonNull(callbacks, "callbacks");
    }

    /**
     * The callback posters.
     *
     * @param workers   posts in flight at once (one user at most half of them)
     * @param userQueue posts of one user waiting; past it a callback is dropped (and noted in its record)
     * @param queue     posts of all users waiting; past it a callback is dropped
     */
    public record Callbacks(int workers, int userQueue, int queue) {
        public Callbacks {
            if (workers < 1 || userQueue < 1 || queue < userQueue) {
                throw new IllegalArgumentException("HEARTH_ASYNC_CALLBACK_WORKERS and HEARTH_ASYNC_CALLBACK_USER_QUEUE must be"
                        + " at least 1, HEARTH_ASYNC_CALLBACK_QUEUE at least the user queue");
            }
        }
    }
}
