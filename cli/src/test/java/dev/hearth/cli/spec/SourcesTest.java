package dev.hearth.cli.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.cli.CliException;
import dev.hearth.cli.ExitCode;
import dev.hearth.cli.Output;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spec comes with a repository, and a repository is someone else's: its {@code code} paths
 * must not reach out of the spec's folder, or {@code hearth apply} of a cloned repository would
 * zip up and upload whatever the path names (the user's home, with its keys and Hearth token)
 * as the code of a function the repository's author wrote.
 */
class SourcesTest {

    @TempDir
    Path dir;

    private Output output() {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream());
        return new Output(Output.Format.text, sink, sink);
    }

    private Path repo(String code) throws IOException {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Files.createDirectories(repo.resolve("hello"));
        Files.writeString(repo.resolve("hello/main.py"), "def handler(e, c):\n    return 1\n");
        Path secrets = Files.createDirectories(dir.resolve("home"));
        Files.writeString(secrets.resolve("main.py"), "def handler(e, c):\n    return 1\n");
        Files.writeString(secrets.resolve("id_rsa"), "PRIVATE KEY");
        Path spec = repo.resolve("hearth.yaml");
        Files.writeString(spec, "functions:\n  f:\n    code: \"" + code + "\"\n");
        return spec;
    }

    private String refusal(Path spec) {
        CliException e = assertThrows(CliException.class,
                () -> Sources.resolve(SpecReader.read(spec, "hearth.yaml"), "hearth.yaml", output()));
        assertEquals(ExitCode.USAGE, e.exitCode());
        return e.getMessage();
    }

    @Test
    void codeInsideTheSpecFolder_isTaken() throws IOException {
        Sources sources = Sources.resolve(SpecReader.read(repo("./hello"), "hearth.yaml"), "hearth.yaml", output());
        assertEquals("main.handler", sources.projects().get("f").handler());
    }

    @Test
    void codeClimbingOutOfTheSpecFolder_isRefused() throws IOException {
        String message = refusal(repo("../home"));
        assertTrue(message.startsWith("hearth.yaml: functions.f.code: "), message);
        assertTrue(message.contains("outside the spec's folder"), message);
    }

    @Test
    void anAbsoluteCodePath_isRefused() throws IOException {
        Path spec = repo(dir.resolve("home").toString());
        assertTrue(refusal(spec).contains("outside the spec's folder"));
    }

    @Test
    void codeThroughALinkedFolder_isRefused() throws IOException {
        Path spec = repo("./linked/.");
        Files.createSymbolicLink(spec.getParent().resolve("linked"), dir.resolve("home"));
        assertTrue(refusal(spec).contains("outside the spec's folder"));
        Files.writeString(spec, "functions:\n  f:\n    code: ./via/home\n");
        Files.createSymbolicLink(spec.getParent().resolve("via"), dir);
        assertTrue(refusal(spec).contains("outside the spec's folder"));
    }
}
