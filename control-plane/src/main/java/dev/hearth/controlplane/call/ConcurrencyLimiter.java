package dev.hearth.controlplane.call;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.hearth.controlplane.function.FunctionRecord;
import dev.hearth.controlplane.http.ApiException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Caps parallel activations, sync and async alike: a function's at its {@code concurrency}
 * setting, and a user's, all functions together, at the node's per-user limit. A call over a cap waits up to
 * {@link #QUEUE_WAIT} for a slot, then is refused (429) rather than piling up.
 */
public final class ConcurrencyLimiter {

    static final Duration QUEUE_WAIT = Duration.ofSeconds(1);

    /** Held for the length of one call. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    private record Key(String functionId, int limit) {}

    private final Cache<Key, Semaphore> permits = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofHours(1))
            .build();
    private final Cache<String, Semaphore> users = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofHours(1))
            .build();
    private final int perUser;

    public ConcurrencyLimiter(int perUser) {
        this.perUser = perUser;
    }

    public Permit acquire(FunctionRecord function) throws InterruptedException {
        Semaphore user = users.get(function.owner(), k -> new Semaphore(perUser, true));
        if (!user.tryAcquire(QUEUE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw ApiException.throttled("you are running your maximum of " + perUser + " concurrent invocations; retry later");
        }
        if (function.settings().concurrency() <= 0) {
            return user::release;
        }
        // A changed limit gets a fresh semaphore; calls holding the old one finish under the old limit.
        Semaphore semaphore = permits.get(new Key(function.id(), function.settings().concurrency()), k -> new Semaphore(k.limit(), true));
        boolean acquired = false;
        try {
            acquired = semaphore.tryAcquire(QUEUE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            if (!acquired) {
                user.release();
            }
        }
        if (!acquired) {
            throw ApiException.throttled("function '" + function.name() + "' is running its maximum of "
                    + function.settings().concurrency() + " concurrent invocations; retry later");
        }
        return () -> {
            semaphore.release();
            user.release();
        };
    }
}
