package dev.hearth.controlplane.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./hearth} as users run it, in a copy of this checkout with a fresh {@code cli/target}:
 * two CLI commands started at once build the jar once (under the checkout's lock) and both
 * succeed; a later command skips the build, a changed source rebuilds it; {@code install-cli}
 * writes a launcher that runs this checkout's CLI in the caller's folder. No Docker.
 */
class HearthScriptIntegrationTest {

    private static final Path CHECKOUT = Path.of("..").toAbsolutePath().normalize();
    private static final long LIMIT_SECONDS = 600;

    @TempDir
    Path temp;

    record Ran(int exit, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    /** A checkout of the CLI alone: the script, the poms the reactor reads, and cli's main sources. */
    private Path copyCheckout() throws IOException {
        Path root = temp.resolve("checkout");
        List<Path> files = new ArrayList<>(List.of(CHECKOUT.resolve("hearth")));
        // Every module's pom (the reactor reads them all, even for -pl cli), wherever modules are.
        try (Stream<Path> poms = Files.walk(CHECKOUT, 3)) {
            poms.filter(p -> p.getFileName().toString().equals("pom.xml"))
                    .filter(p -> !CHECKOUT.relativize(p).toString().matches("(.*/)?(target|node_modules|data)/.*"))
                    .forEach(files::add);
        }
        for (Path file : files) {
            Path to = root.resolve(CHECKOUT.relativize(file).toString());
            Files.createDirectories(to.getParent());
            Files.copy(file, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
        try (Stream<Path> sources = Files.walk(CHECKOUT.resolve("cli/src/main"))) {
            for (Path from : (Iterable<Path>) sources::iterator) {
                Path to = root.resolve(CHECKOUT.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to);
                }
            }
        }
        assertFalse(Files.exists(root.resolve("cli/target")));
        return root;
    }

    private Map<String, String> env() {
        return Map.of("HEARTH_CONFIG", temp.resolve("config").toString(), "HEARTH_CLI_CACHE", temp.resolve("cache").toString(),
                "HEARTH_BIN_DIR", temp.resolve("bin").toString());
    }

    private Ran run(Path cwd, String... command) throws Exception {
        return run(cwd, Map.of(), command);
    }

    private Ran run(Path cwd, Map<String, String> extraEnv, String... command) throws Exception {
        Path out = Files.createTempFile(temp, "out", ".txt");
        Path err = Files.createTempFile(temp, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().keySet().removeIf(k -> k.startsWith("HEARTH_"));
        builder.environment().putAll(env());
        builder.environment().putAll(extraEnv);
        return await(builder.start(), out, err);
    }

    private static Ran await(Process process, Path out, Path err) throws Exception {
        if (!process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("./hearth did not end within " + LIMIT_SECONDS + " s: " + Files.readString(err));
        }
        return new Ran(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static int builds(String stderr) {
        return (int) stderr.lines().filter(l -> l.contains("building the CLI")).count();
    }

    @Test
    void twoCommandsAtOnce_onAFreshTarget_buildOnce_andBothSucceed() throws Exception {
        Path root = copyCheckout();
        Path work = Files.createDirectories(temp.resolve("work"));
        List<Process> processes = new ArrayList<>();
        List<Path[]> files = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path out = Files.createTempFile(temp, "out", ".txt");
            Path err = Files.createTempFile(temp, "err", ".txt");
            ProcessBuilder builder = new ProcessBuilder(root.resolve("hearth").toString(), "logout").directory(work.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("HEARTH_"));
            builder.environment().putAll(env());
            processes.add(builder.start());
            files.add(new Path[] {out, err});
        }
        int built = 0;
        for (int i = 0; i < 2; i++) {
            Ran ran = await(processes.get(i), files.get(i)[0], files.get(i)[1]);
            assertEquals(0, ran.exit(), ran::toString);
            assertEquals("not logged in\n", ran.stdout(), ran::toString);
            assertFalse(ran.stderr().contains("Unable to access jarfile"), ran::toString);
            built += builds(ran.stderr());
        }
        assertEquals(1, built, "one of the two builds, the other waits and finds it done");
        assertTrue(Files.isRegularFile(root.resolve("cli/target/hearth-cli.jar")));

        // Up to date: no build; the jar's copy and its AppCDS archive are in the cache.
        Ran again = run(work, root.resolve("hearth").toString(), "logout", "--output", "json");
        assertEquals(0, again.exit(), again::toString);
        assertEquals(0, builds(again.stderr()), again::toString);
        assertTrue(again.stdout().contains("\"loggedOut\" : false"), again::toString);
        try (Stream<Path> cached = Files.list(temp.resolve("cache"))) {
            List<String> names = cached.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(2, names.size(), names::toString);
            assertTrue(names.get(0).endsWith(".jar") && names.get(1).endsWith(".jsa"), names::toString);
        }

        // A changed source makes the next command rebuild, and the cache holds the new jar only.
        Path main = root.resolve("cli/src/main/java/dev/hearth/cli/Main.java");
        Files.writeString(main, Files.readString(main) + "\n// changed\n");
        Ran rebuilt = run(work, root.resolve("hearth").toString(), "logout");
        assertEquals(0, rebuilt.exit(), rebuilt::toString);
        assertEquals(1, builds(rebuilt.stderr()), rebuilt::toString);
        try (Stream<Path> cached = Files.list(temp.resolve("cache"))) {
            assertEquals(2, cached.count());
        }

        // install-cli: a launcher that runs this checkout's CLI in the caller's folder.
        Ran installed = run(work, root.resolve("hearth").toString(), "install-cli");
        assertEquals(0, installed.exit(), installed::toString);
        Path launcher = temp.resolve("bin/hearth");
        assertTrue(Files.isExecutable(launcher), installed::toString);
        Path elsewhere = Files.createDirectories(temp.resolve("elsewhere/empty-fn"));
        Files.writeString(elsewhere.resolve("README.md"), "no code");
        Ran deploy = run(elsewhere.getParent(), launcher.toString(), "deploy", "empty-fn");
        assertEquals(2, deploy.exit(), deploy::toString);
        assertEquals("hearth: no function found in empty-fn: looked for", deploy.stderr().strip().substring(0, 49), deploy::toString);
    }

    @Test
    void aCacheFolderOthersCanWriteTo_isNotUsed() throws Exception {
        Path root = copyCheckout();
        Path work = Files.createDirectories(temp.resolve("work"));
        Ran first = run(work, root.resolve("hearth").toString(), "logout");
        assertEquals(0, first.exit(), first::toString);
        String cachedJar;
        try (Stream<Path> cached = Files.list(temp.resolve("cache"))) {
            cachedJar = cached.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).findFirst().orElseThrow();
        }
        // Another user's, or a world-writable one (as /tmp/.cache/... would be): they put a jar of
        // their own there under the name the launcher predictably runs.
        Path shared = Files.createDirectories(temp.resolve("shared-cache"));
        Files.setPosixFilePermissions(shared, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.writeString(shared.resolve(cachedJar), "not the CLI: whatever another user wants run as you");
        Ran ran = run(work, Map.of("HEARTH_CLI_CACHE", shared.toString()), root.resolve("hearth").toString(), "logout");
        assertEquals(0, ran.exit(), ran::toString);
        assertEquals("not logged in\n", ran.stdout(), ran::toString);
        assertFalse(ran.stderr().contains("jarfile"), ran::toString);
    }
}
