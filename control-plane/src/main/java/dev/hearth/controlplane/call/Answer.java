package dev.hearth.controlplane.call;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.controlplane.http.Exchanges;
import dev.hearth.controlplane.http.Json;
import dev.hearth.poolmanager.Invocation;
import dev.hearth.poolmanager.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How one call's outcome is shown to a synchronous caller ({@code status}, {@code body}) and kept
 * in its record, sync or async ({@code recordStatus}, {@code errorType}, {@code errorMessage}). A
 * function that fails answers {@value #FUNCTION_ERROR_STATUS} with the handler's error, so callers
 * can tell it from the platform's own failures. Every failure's error object also carries Lambda's
 * error document beside Hearth's {@code type} and {@code message}: {@code errorType},
 * {@code errorMessage} and {@code stackTrace} (empty when there is none); a timeout's is
 * {@code Sandbox.Timedout}, a crash's {@code Runtime.ExitError}, worded as Lambda's.
 *
 * @param recordStatus {@code succeeded}, {@code failed} (the function's error), {@code timeout} or {@code crashed}
 * @param errorType    null when the call succeeded
 */
public record Answer(int status, byte[] body, String recordStatus, String errorType, String errorMessage) {

    /** "The function itself failed": the handler raised, its code would not load, or its container died. */
    public static final int FUNCTION_ERROR_STATUS = 502;

    /** The signals a process is commonly ended by, as Lambda names them (a container's status is 128 + the signal). */
    private static final Map<Integer, String> SIGNALS = Map.of(6, "aborted", 9, "killed", 11, "segmentation fault", 15, "terminated");

    public Answer {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(recordStatus, "recordStatus");
    }

    public static Answer of(Invocation invocation) {
        Outcome outcome = invocation.outcome();
        if (outcome instanceof Outcome.Success success) {
            return new Answer(200, success.json(), "succeeded", null, null);
        }
        if (outcome instanceof Outcome.FunctionError error) {
            return functionError(error.json());
        }
        if (outcome instanceof Outcome.Timeout timeout) {
            String message = "the function did not finish within its timeout of " + timeout.timeoutMs() + " ms";
            var document = lambdaError("Sandbox.Timedout", timedOutMessage(timeout.timeoutMs()));
            return new Answer(504, Exchanges.errorBody("timeout", message, document), "timeout", "timeout", message);
        }
        var crashed = (Outcome.Crashed) outcome;
        String reason = crashed.reason();
        var document = lambdaError("Runtime.ExitError", exitedMessage(invocation.invocationId(), crashed.exitStatus()));
        return new Answer(FUNCTION_ERROR_STATUS, Exchanges.errorBody("function_crashed", reason, document), "crashed", "function_crashed", reason);
    }

    /** Lambda's words for a timeout: the function's timeout in seconds, to two decimals. */
    static String timedOutMessage(int timeoutMs) {
        return String.format(Locale.ROOT, "Task timed out after %.2f seconds", timeoutMs / 1000.0);
    }

    /** Lambda's words for a runtime that exited mid-call, with the status as Go's os/exec words it. */
    static String exitedMessage(String requestId, Integer exitStatus) {
        String prefix = "RequestId: " + requestId + " Error: ";
        if (exitStatus == null) {
            return prefix + "Runtime exited without providing a reason";
        }
        String signal = exitStatus > 128 ? SIGNALS.get(exitStatus - 128) : null;
        return prefix + "Runtime exited with error: " + (signal != null ? "signal: " + signal : "exit status " + exitStatus);
    }

    private static Map<String, Object> lambdaError(String type, String message) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("errorType", type);
        document.put("errorMessage", message);
        document.put("stackTrace", List.of());
        return document;
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
        // Every error document has a stack trace, as Lambda's: an empty one where the agent sent none.
        details.put("stackTrace", error.has("stackTrace") ? error.get("stackTrace") : List.of());
        return new Answer(FUNCTION_ERROR_STATUS, Exchanges.errorBody("function_error", type + ": " + message, details), "failed", type, message);
    }
}
