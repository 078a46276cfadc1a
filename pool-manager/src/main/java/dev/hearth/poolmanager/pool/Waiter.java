package dev.hearth.poolmanager.pool;

import dev.hearth.poolmanager.PoolException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A call waiting for a container of its version: it is handed one (freed by another call, or
 * started for it), or the failure of a start made for it. Once handed, what it holds is the
 * call's to run or to give back.
 */
final class Waiter {

    private final CompletableFuture<Starter.Ready> handed = new CompletableFuture<>();

    /** What the call was handed, or null when nothing came within {@code timeout}; a refused start is thrown. */
    Starter.Ready poll(Duration timeout) throws InterruptedException {
        try {
            return handed.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            throw (PoolException) e.getCause();
        }
    }

    /** What the call was handed, once {@link WarmSet#cancel} has said it was; a refused start is thrown. */
    Starter.Ready handedNow() {
        try {
            return handed.getNow(null);
        } catch (CompletionException e) {
            throw (PoolException) e.getCause();
        }
    }

    void hand(Starter.Ready ready) {
        handed.complete(ready);
    }

    void refuse(PoolException refusal) {
        handed.completeExceptionally(refusal);
    }
}
