package dev.hearth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ExitCodeTest {

    @Test
    void statuses_mapToTheDocumentedCodes() {
        assertEquals(0, ExitCode.ofStatus(200).code());
        assertEquals(0, ExitCode.ofStatus(204).code());
        assertEquals(2, ExitCode.ofStatus(400).code());
        assertEquals(2, ExitCode.ofStatus(413).code());
        assertEquals(3, ExitCode.ofStatus(401).code());
        assertEquals(3, ExitCode.ofStatus(403).code());
        assertEquals(4, ExitCode.ofStatus(404).code());
        assertEquals(5, ExitCode.ofStatus(409).code());
        assertEquals(6, ExitCode.ofStatus(429).code());
        assertEquals(1, ExitCode.ofStatus(502).code());
        assertEquals(1, ExitCode.ofStatus(504).code());
        assertEquals(7, ExitCode.ofStatus(500).code());
        assertEquals(7, ExitCode.ofStatus(503).code());
        assertEquals(7, ExitCode.ofStatus(302).code());
    }
}
