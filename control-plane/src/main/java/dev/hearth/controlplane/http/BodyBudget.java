package dev.hearth.controlplane.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The request-body bytes held at once by all connections together. Bytes are counted as they
 * arrive (never as a client declares them), so a lying {@code Content-Length} costs nothing, and
 * many large bodies in flight get 503 instead of exhausting the heap.
 */
final class BodyBudget {

    private final long capacity;
    private final AtomicLong used = new AtomicLong();

    BodyBudget(long capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    /** Takes {@code bytes} from the budget, or nothing and false when they do not fit. */
    boolean reserve(long bytes) {
        while (true) {
            long now = used.get();
            if (now + bytes > capacity) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }

    long used() {
        return used.get();
    }
}
