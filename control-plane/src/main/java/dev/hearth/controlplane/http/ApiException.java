package dev.hearth.controlplane.http;

/** A refusal to show the caller as {@code {"error":{"type","message"}}} with an honest status. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String type;
    private final long retryAfterSeconds;

    public ApiException(int status, String type, String message) {
        this(status, type, message, status == 429 ? 1 : 0);
    }

    /** @param retryAfterSeconds what {@code Retry-After} tells the caller; 0 for no header */
    public ApiException(int status, String type, String message, long retryAfterSeconds) {
        super(message);
        this.status = status;
        this.type = type;
        this.retryAfterSeconds = Math.max(0, retryAfterSeconds);
    }

    /** Seconds the caller should wait before trying again ({@code Retry-After}); 0 when it says nothing. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "bad_request", message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "unauthorized", message);
    }

    /** A user's quota (functions, stored code) would be passed. */
    public static ApiException quotaExceeded(String message) {
        return new ApiException(403, "quota_exceeded", message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, "conflict", message);
    }

    public static ApiException tooLarge(String message) {
        return new ApiException(413, "too_large", message);
    }

    public static ApiException throttled(String message) {
        return new ApiException(429, "throttled", message);
    }

    /** Throttled, and the caller must wait {@code seconds} (at least 1). */
    public static ApiException throttled(String message, long seconds) {
        return new ApiException(429, "throttled", message, Math.max(1, seconds));
    }

    public static ApiException unavailable(String message) {
        return new ApiException(503, "unavailable", message);
    }
}
