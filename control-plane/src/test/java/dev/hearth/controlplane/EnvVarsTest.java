package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvVarsTest {

    @Test
    void text_blankOrUnset_isTheFallback_andValuesAreTrimmed() {
        var vars = new EnvVars(Map.of("BLANK", "  ", "SET", " value "));
        assertEquals("fallback", vars.text("BLANK", "fallback"));
        assertEquals("fallback", vars.text("UNSET", "fallback"));
        assertEquals("value", vars.text("SET", "fallback"));
    }

    @Test
    void raw_setButEmpty_isKept() {
        var vars = new EnvVars(Map.of("EMPTY", ""));
        assertEquals("", vars.raw("EMPTY", "fallback"));
        assertEquals("fallback", vars.raw("UNSET", "fallback"));
    }

    @Test
    void bool_onlyTrueOrFalse_andTheErrorNamesTheVariable() {
        var vars = new EnvVars(Map.of("ON", "TRUE", "OFF", "false", "TYPO", "yes"));
        assertTrue(vars.bool("ON", false));
        assertFalse(vars.bool("OFF", true));
        assertTrue(vars.bool("UNSET", true));
        var e = assertThrows(IllegalArgumentException.class, () -> vars.bool("TYPO", true));
        assertEquals("TYPO must be true or false, got 'yes'", e.getMessage());
    }

    @Test
    void integer_malformed_namesTheVariable() {
        var vars = new EnvVars(Map.of("PORT", " 81 ", "BAD", "eighty"));
        assertEquals(81, vars.integer("PORT", 80));
        assertEquals(80, vars.integer("UNSET", 80));
        var e = assertThrows(IllegalArgumentException.class, () -> vars.integer("BAD", 80));
        assertEquals("BAD must be an integer, got 'eighty'", e.getMessage());
    }
}
