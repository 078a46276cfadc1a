package dev.hearth.runtime.java;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentTest {

    @Test
    void apply_variables_areSeenBySystemGetenv() {
        Environment.apply(Map.of("HEARTH_ENV_TEST_A", "one", "PATH_LIKE_HEARTH", "x:y"));
        assertEquals("one", System.getenv("HEARTH_ENV_TEST_A"));
        assertEquals("one", System.getenv().get("HEARTH_ENV_TEST_A"));
        assertEquals("x:y", System.getenv("PATH_LIKE_HEARTH"));
    }

    @Test
    void apply_existingVariable_isReplaced() {
        Environment.apply(Map.of("HEARTH_ENV_TEST_B", "first"));
        Environment.apply(Map.of("HEARTH_ENV_TEST_B", "second"));
        assertEquals("second", System.getenv("HEARTH_ENV_TEST_B"));
    }

    @Test
    void apply_invalidName_isSkippedAndOthersApplied() {
        Environment.apply(new java.util.TreeMap<>(Map.of("BAD=NAME", "v", "HEARTH_ENV_TEST_C", "ok")));
        assertEquals("ok", System.getenv("HEARTH_ENV_TEST_C"));
    }

    @Test
    void apply_childProcesses_inheritVariables() throws Exception {
        Environment.apply(Map.of("HEARTH_ENV_TEST_D", "child"));
        assertEquals("child", new ProcessBuilder().environment().get("HEARTH_ENV_TEST_D"));
    }
}
