package dev.hearth.controlplane.lambda;

import dev.hearth.controlplane.http.Exchanges;
import dev.hearth.controlplane.http.Json;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a {@link LambdaError} as Lambda's REST-JSON error: the code in {@code X-Amzn-ErrorType},
 * the body {@code {"Type":"User"|"Service","message":...}} (and {@code Reason} when throttled),
 * {@code Retry-After} on a 429. The AWS SDKs and CLI map the code to their exception classes.
 */
final class LambdaErrors {

    static final HttpString ERROR_TYPE = HttpString.tryFromString("X-Amzn-ErrorType");
    static final HttpString REQUEST_ID = HttpString.tryFromString("x-amzn-RequestId");

    private LambdaErrors() {}

    static void send(HttpServerExchange exchange, LambdaError error) {
        if (exchange.isResponseStarted()) {
            return;
        }
        exchange.getResponseHeaders().put(ERROR_TYPE, error.code());
        if (error.retryAfterSeconds() > 0) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(error.retryAfterSeconds()));
        }
        Exchanges.sendRaw(exchange, error.status(), body(error));
    }

    static byte[] body(LambdaError error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Type", error.kind());
        body.put("message", error.getMessage());
        if (error.reason() != null) {
            body.put("Reason", error.reason());
        }
        return Json.write(body);
    }
}
