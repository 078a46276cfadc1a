package dev.hearth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CredentialsTest {

    private static String first(String text) {
        return Credentials.firstLine(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void passwordStdin_isTheFirstLine_withoutItsEnding() {
        assertEquals("correct horse", first("correct horse\n"));
        assertEquals("correct horse", first("correct horse\r\nignored"));
        assertEquals(" spaces kept ", first(" spaces kept "));
        assertEquals("", first(""));
    }
}
