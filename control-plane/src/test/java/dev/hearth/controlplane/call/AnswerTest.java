package dev.hearth.controlplane.call;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.poolmanager.Invocation;
import dev.hearth.poolmanager.Outcome;
import dev.hearth.poolmanager.StartKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Hearth's answer to a failed call, with Lambda's error document inside its error object. */
class AnswerTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static Answer answer(Outcome outcome) {
        return Answer.of(new Invocation("req-1", StartKind.WARM, outcome, 0, 0, null, "local"));
    }

    static JsonNode error(Answer answer) throws IOException {
        return JSON.readTree(answer.body()).get("error");
    }

    @Test
    void aTimeout_keepsHearthsShape_andCarriesSandboxTimedout() throws IOException {
        Answer answer = answer(new Outcome.Timeout(3000));

        assertEquals(504, answer.status());
        assertEquals("timeout", answer.errorType());
        JsonNode error = error(answer);
        assertEquals("timeout", error.get("type").asText());
        assertEquals("the function did not finish within its timeout of 3000 ms", error.get("message").asText());
        assertEquals("Sandbox.Timedout", error.get("errorType").asText());
        assertEquals("Task timed out after 3.00 seconds", error.get("errorMessage").asText());
        assertEquals("[]", error.get("stackTrace").toString());
    }

    @Test
    void timeoutSeconds_haveTwoDecimals() {
        assertEquals("Task timed out after 0.25 seconds", Answer.timedOutMessage(250));
        assertEquals("Task timed out after 900.00 seconds", Answer.timedOutMessage(900_000));
        assertEquals("Task timed out after 1.23 seconds", Answer.timedOutMessage(1234));
    }

    @Test
    void aCrash_keepsHearthsShape_andCarriesRuntimeExitError_withTheStatus() throws IOException {
        Answer answer = answer(new Outcome.Crashed("the function's process exited or was killed mid-call", 1));

        assertEquals(502, answer.status());
        assertEquals("crashed", answer.recordStatus());
        JsonNode error = error(answer);
        assertEquals("function_crashed", error.get("type").asText());
        assertEquals("the function's process exited or was killed mid-call", error.get("message").asText());
        assertEquals("Runtime.ExitError", error.get("errorType").asText());
        assertEquals("RequestId: req-1 Error: Runtime exited with error: exit status 1", error.get("errorMessage").asText());
        assertEquals("[]", error.get("stackTrace").toString());
    }

    @Test
    void aCrashBySignal_orOfUnknownStatus_isWordedAsLambdas() {
        assertEquals("RequestId: r Error: Runtime exited with error: signal: killed", Answer.exitedMessage("r", 137));
        assertEquals("RequestId: r Error: Runtime exited with error: exit status 200", Answer.exitedMessage("r", 200));
        assertEquals("RequestId: r Error: Runtime exited without providing a reason", Answer.exitedMessage("r", null));
    }

    @Test
    void aFunctionError_withoutAStackTrace_getsAnEmptyOne() throws IOException {
        Answer answer = answer(new Outcome.FunctionError(
                "{\"errorType\":\"ValueError\",\"errorMessage\":\"bad\"}".getBytes(StandardCharsets.UTF_8)));

        JsonNode error = error(answer);
        assertEquals("function_error", error.get("type").asText());
        assertEquals("ValueError: bad", error.get("message").asText());
        assertEquals("[]", error.get("stackTrace").toString());
    }

    @Test
    void aFunctionError_keepsTheAgentsStackTrace() throws IOException {
        Answer answer = answer(new Outcome.FunctionError(
                "{\"errorType\":\"E\",\"errorMessage\":\"m\",\"stackTrace\":[\"  File x\"]}".getBytes(StandardCharsets.UTF_8)));

        assertEquals("[\"  File x\"]", error(answer).get("stackTrace").toString());
    }
}
