package dev.hearth.poolmanager.pool;

import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.pool.Resting.Prewarmed;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The generic containers of one language: those waiting, those starting, the target, and the
 * backoff of failed starts. {@link PrewarmedPools} is the only one to change it.
 */
final class LanguagePool {

    final Language language;
    final ContainerFactory.Template template;
    final int target;
    final ConcurrentLinkedDeque<Prewarmed> ready = new ConcurrentLinkedDeque<>();
    final AtomicInteger starting = new AtomicInteger();
    /** Consecutive failed starts, for backing off when the engine or image is broken. */
    final AtomicInteger failures = new AtomicInteger();
    /** Set while a retry after a failed start is scheduled, so failures do not multiply retries. */
    final AtomicBoolean retryPending = new AtomicBoolean();
    private volatile boolean filledOnce;

    LanguagePool(Language language, ContainerFactory.Template template, int target) {
        this.language = language;
        this.template = template;
        this.target = target;
        this.filledOnce = target == 0;
    }

    void markIfFilled() {
        if (ready.size() >= target) {
            filledOnce = true;
        }
    }

    boolean filledOnce() {
        return filledOnce;
    }
}
