package dev.hearth.controlplane.lambda;

import dev.hearth.controlplane.http.ApiException;

/**
 * A refusal in Lambda's terms: the HTTP status, the error code an AWS SDK reads from
 * {@code X-Amzn-ErrorType} ({@code ResourceNotFoundException}, ...), a message and, for
 * {@code TooManyRequestsException}, Lambda's {@code Reason}.
 */
final class LambdaError extends RuntimeException {

    private final int status;
    private final String code;
    private final String reason;
    private final long retryAfterSeconds;

    LambdaError(int status, String code, String message) {
        this(status, code, message, null, 0);
    }

    LambdaError(int status, String code, String message, String reason, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    /** Null but for {@code TooManyRequestsException}. */
    String reason() {
        return reason;
    }

    long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** "User" for the caller's errors (4xx), "Service" for Hearth's own (5xx), as Lambda's {@code Type}. */
    String kind() {
        return status >= 500 ? "Service" : "User";
    }

    static LambdaError forbidden(String code, String message) {
        return new LambdaError(403, code, message);
    }

    static LambdaError invalidParameter(String message) {
        return new LambdaError(400, "InvalidParameterValueException", message);
    }

    /** Hearth's refusal (from the shared call path) as Lambda names it. */
    static LambdaError of(ApiException e) {
        return switch (e.status()) {
            case 400 -> invalidParameter(e.getMessage());
            case 404 -> new LambdaError(404, "ResourceNotFoundException", "Function not found: " + e.getMessage());
            case 409 -> new LambdaError(409, "ResourceConflictException", e.getMessage());
            case 413 -> new LambdaError(413, "RequestTooLargeException", e.getMessage());
            case 429 -> new LambdaError(429, "TooManyRequestsException", e.getMessage(),
                    "ConcurrentInvocationLimitExceeded", Math.max(1, e.retryAfterSeconds()));
            default -> e.status() >= 500
                    ? new LambdaError(e.status(), "ServiceException", e.getMessage())
                    : new LambdaError(e.status(), "InvalidParameterValueException", e.getMessage());
        };
    }
}
