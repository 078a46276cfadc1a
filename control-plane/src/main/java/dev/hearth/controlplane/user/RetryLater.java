package dev.hearth.controlplane.user;

import dev.hearth.controlplane.http.ApiException;

/** A 429 that says, in {@code Retry-After}, how many seconds the caller must wait. */
final class RetryLater extends ApiException {

    RetryLater(long seconds, String message) {
        super(429, "throttled", message, Math.max(1, seconds));
    }

    long seconds() {
        return retryAfterSeconds();
    }
}
