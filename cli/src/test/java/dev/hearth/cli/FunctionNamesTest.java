package dev.hearth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionNamesTest {

    @Test
    void sanitise_keepsValidNames_andMendsOthers() {
        assertEquals("hello-world_2", FunctionNames.sanitise("hello-world_2"));
        assertEquals("My-App", FunctionNames.sanitise("My App"));
        assertEquals("app", FunctionNames.sanitise("..app"));
        assertEquals("caf", FunctionNames.sanitise("café"));
        assertEquals("a-b", FunctionNames.sanitise("a...b"));
        assertEquals("x".repeat(64), FunctionNames.sanitise("x".repeat(80)));
        assertEquals("", FunctionNames.sanitise("---"));
    }

    @Test
    void fromPath_usesTheFolder_orTheFileWithoutItsExtension(@TempDir Path dir) throws IOException {
        Path folder = Files.createDirectory(dir.resolve("my fn"));
        assertEquals("my-fn", FunctionNames.fromPath(folder));
        Path file = Files.writeString(dir.resolve("echo.py"), "x");
        assertEquals("echo", FunctionNames.fromPath(file));
        Path odd = Files.createDirectory(dir.resolve("@@@"));
        assertThrows(CliException.class, () -> FunctionNames.fromPath(odd));
    }
}
