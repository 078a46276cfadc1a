package dev.hearth.controlplane.call;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.controlplane.http.Exchanges;
import dev.hearth.controlplane.http.Json;
import dev.hearth.poolmanager.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How one call's outcome is shown to a synchronous caller ({@code status}, {@code body}) and kept
 * in its record, sync or async ({@code recordStatus}, {@code errorType}, {@code errorMessage}). A
 * function that fails answers {@value #FUNCTION_ERROR_STATUS} with the handler's error, so callers
 * can tell it from the platform's own failures.
 *
 * @param recordStatus {@code succeeded}, {@code failed} (the function's error), {@code timeout} or {@code crashed}
 * @param errorType    null when the call succeeded
 */
public record Answer(int status, byte[] body, String recordStatus, String errorType, String errorMessage) {

    /** "The function itself failed": the handler raised, its code would not load, or its container died. */
    public static final int FUNCTION_ERROR_STATUS = 502;

    public Answer {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(recordStatus, "recordStatus");
    }

    public static Answer of(Outcome outcome) {
        if (outcome instanceof Outcome.Success success) {
            return new Answer(200, success.json(), "succeeded", null, null);
        }
        if (outcome instanceof Outcome.FunctionError error) {
            return functionError(error.json());
        }
        if (outcome instanceof Outcome.Timeout timeout) {
            String message = "the function did not finish within its timeout of " + timeout.timeoutMs() + " ms";
            return new Answer(504, Exchanges.errorBody("timeout", message, Map.of()), "timeout", "timeout", message);
        }
        String reason = ((Outcome.Crashed) outcome).reason();
        return new Answer(FUNCTION_ERROR_STATUS, Exchanges.errorBody("function_crashed", reason, Map.of()), "crashed", "function_crashed", reason);
    }

    private static Answer functionError(byte[] agentError) {
        JsonNode error;
        try {
            error = Json.MAPPER.readTree(agentError);
        } catch (IOException e) {
            throw new UncheckedIOException("agent sent an error that is not JSON", e);
        }
        String type = error.path("errorType").asText("Error");
        String message = error.path("errorMessage").asText("");
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("errorType", type);
        details.put("errorMessage", message);
        if (error.has("stackTrace")) {
            details.put("stackTrace", error.get("stackTrace"));
        }
        return new Answer(FUNCTION_ERROR_STATUS, Exchanges.errorBody("function_error", type + ": " + message, details), "failed", type, message);
    }
}
