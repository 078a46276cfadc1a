package dev.hearth.controlplane.function;

/**
 * Bounds on what callers may send and ask for.
 *
 * @param maxCodeBytes    largest code archive (after base64 decoding)
 * @param maxEventBytes   largest invocation event, as Lambda's 6 MB synchronous payload
 * @param userConcurrency most invocations one user runs at once, all functions together
 */
public record Limits(long maxCodeBytes, int maxEventBytes, int defaultMemoryMb, int maxMemoryMb,
                     int defaultTimeoutMs, int maxTimeoutMs, int userConcurrency) {
    public Limits {
        if (maxCodeBytes < 1 || maxEventBytes < 1 || defaultMemoryMb > maxMemoryMb || defaultTimeoutMs > maxTimeoutMs
                || userConcurrency < 1) {
            throw new IllegalArgumentException("inconsistent limits");
        }
    }
}
