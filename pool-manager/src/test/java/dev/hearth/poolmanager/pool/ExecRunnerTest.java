package dev.hearth.poolmanager.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.poolmanager.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class ExecRunnerTest {

    final ExecRunner runner = new ExecRunner(null, new ObjectMapper(), Clock.systemUTC(), System::nanoTime, "test");

    private String result(String stdout) {
        return new String(runner.result(stdout.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    void jsonOnStdout_isTheResultAsItIs() {
        assertEquals("{\"a\": [1, 2]}", result("{\"a\": [1, 2]}\n"));
        assertEquals("42", result("42"));
    }

    @Test
    void anythingElse_isAJsonString_withoutItsLastNewline() {
        assertEquals("\"dlrow olleh\"", result("dlrow olleh\n"));
        assertEquals("\"two\\nlines\"", result("two\nlines\n"));
        assertEquals("\"1 2\"", result("1 2"), "two JSON values are not one result");
    }

    @Test
    void nothingOnStdout_isNull() {
        assertEquals("null", result(""));
        assertEquals("null", result("\n"));
    }

    @Test
    void errorsHearthDetects_areJsonWhateverTheMessageHolds() throws Exception {
        byte[] error = Outcome.FunctionError.json("Runtime.ExitError", "said \"no\"\nand left");
        var node = new ObjectMapper().readTree(error);
        assertEquals("Runtime.ExitError", node.get("errorType").asText());
        assertEquals("said \"no\"\nand left", node.get("errorMessage").asText());
    }
}
