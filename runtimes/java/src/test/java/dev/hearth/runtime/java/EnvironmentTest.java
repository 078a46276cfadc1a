package dev.hearth.runtime.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

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

    @Test
    void restore_putsBackSetValues_andRemovesWhatWasUnset() {
        Environment.apply(Map.of("HEARTH_ENV_TEST_E", "kept"));
        Map<String, String> before = Environment.valuesOf(java.util.List.of("HEARTH_ENV_TEST_E", "HEARTH_ENV_TEST_F"));
        Environment.apply(Map.of("HEARTH_ENV_TEST_E", "changed", "HEARTH_ENV_TEST_F", "added"));
        Environment.restore(before);
        assertEquals("kept", System.getenv("HEARTH_ENV_TEST_E"));
        assertNull(System.getenv("HEARTH_ENV_TEST_F"));
        assertFalse(new ProcessBuilder().environment().containsKey("HEARTH_ENV_TEST_F"));
    }
}
