package dev.hearth.controlplane.invoke;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.hearth.controlplane.function.FunctionRecord;
import dev.hearth.controlplane.http.ApiException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Caps a function's parallel activations at its {@code concurrency} setting. A call over the
 * cap waits up to {@link #QUEUE_WAIT} for a slot, then is refused (429) rather than piling up.
 */
final class ConcurrencyLimiter {

    static final Duration QUEUE_WAIT = Duration.ofSeconds(1);
    private static final Permit UNLIMITED = () -> {};

    /** Held for the length of one call. */
    interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    private record Key(String functionId, int limit) {}

    private final Cache<Key, Semaphore> permits = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofHours(1))
            .build();

    Permit acquire(FunctionRecord function) throws InterruptedException {
        if (function.concurrency() <= 0) {
            return UNLIMITED;
        }
        Semaphore semaphore = permits.get(new Key(function.id(), function.concurrency()), k -> new Semaphore(k.limit(), true));
        if (!semaphore.tryAcquire(QUEUE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw ApiException.throttled("function '" + function.name() + "' is running its maximum of "
                    + function.concurrency() + " concurrent invocations; retry later");
        }
        return semaphore::release;
    }
}
