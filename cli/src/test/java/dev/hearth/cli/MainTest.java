package dev.hearth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Option parsing and the one-line errors, with no server (or a closed port) behind them. */
class MainTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    private Run run(Map<String, String> extraEnv, String... args) {
        Map<String, String> env = new HashMap<>(Map.of("HEARTH_CONFIG", dir.resolve("config").toString()));
        env.putAll(extraEnv);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertOneErrorLine(Run run, int exit, String contains) {
        assertEquals(exit, run.exit(), run::toString);
        String[] lines = run.err().strip().split("\n");
        assertTrue(lines[0].startsWith("hearth: ") && lines[0].contains(contains), run::toString);
        assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), run::toString);
    }

    @Test
    void notLoggedIn_isExit3() {
        assertOneErrorLine(run(Map.of(), "ls"), 3, "not logged in");
        assertOneErrorLine(run(Map.of(), "invoke", "fn"), 3, "not logged in");
    }

    @Test
    void unknownOption_andMissingParameter_areExit2() {
        assertOneErrorLine(run(Map.of(), "ls", "--bogus"), 2, "--bogus");
        assertOneErrorLine(run(Map.of(), "invoke"), 2, "NAME");
        assertOneErrorLine(run(Map.of(), "deploy", "--memory", "lots"), 2, "lots");
        assertOneErrorLine(run(Map.of(), "-o", "yaml", "ls"), 2, "yaml");
        assertOneErrorLine(run(Map.of(), "alias"), 2, "subcommand");
    }

    @Test
    void closedPort_isExit7_cannotReach() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Run run = run(Map.of("HEARTH_ENDPOINT", "http://127.0.0.1:" + port, "HEARTH_TOKEN", "t"), "ls");
        assertOneErrorLine(run, 7, "cannot reach http://127.0.0.1:" + port + ": connection refused");
    }

    @Test
    void badEndpoint_isExit2() {
        assertOneErrorLine(run(Map.of(), "login", "--endpoint", "ftp://x", "--token", "t"), 2, "not an http:// or https:// URL");
    }

    @Test
    void login_withoutATerminal_needsTheUsernameAndPasswordGiven() {
        assertOneErrorLine(run(Map.of(), "login"), 2, "give --username");
        assertOneErrorLine(run(Map.of(), "login", "-u", "ada"), 2, "--password-stdin");
        assertOneErrorLine(run(Map.of(), "login", "--token", "t", "--password", "p"), 2, "not both");
    }

    @Test
    void rm_withoutATerminal_needsYes() {
        assertOneErrorLine(run(Map.of("HEARTH_TOKEN", "t"), "rm", "fn"), 2, "--yes");
    }

    @Test
    void deploy_folderWithNothingRecognisable_isExit2_beforeAnyLogin() throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "nothing");
        assertOneErrorLine(run(Map.of(), "deploy", dir.toString()), 2, "no function found in " + dir);
    }

    @Test
    void atFile_isAnEventFile_notAnArgumentFile() throws IOException {
        Path event = Files.writeString(dir.resolve("event.json"), "{\"name\": \"not args\"}");
        // Parsed as invoke's -d (then refused for want of a login), not expanded into arguments.
        assertOneErrorLine(run(Map.of(), "invoke", "fn", "-d", "@" + event), 3, "not logged in");
    }

    @Test
    void logout_whenNotLoggedIn_saysSo() {
        Run run = run(Map.of(), "logout");
        assertEquals(0, run.exit());
        assertEquals("not logged in\n", run.out());
        Run json = run(Map.of(), "logout", "-o", "json");
        assertTrue(json.out().contains("\"loggedOut\" : false"), json::toString);
    }

    @Test
    void everyCommand_hasHelp() {
        java.util.List<java.util.List<String>> paths = new java.util.ArrayList<>();
        collect(new picocli.CommandLine(new HearthCommand(Map.of(), System.out, System.err)), new java.util.ArrayList<>(), paths);
        assertTrue(paths.size() > 20, paths::toString);
        for (var path : paths) {
            java.util.List<String> args = new java.util.ArrayList<>(path);
            args.add("--help");
            Run run = run(Map.of(), args.toArray(String[]::new));
            assertEquals(0, run.exit(), () -> path + ": " + run);
            assertTrue(run.out().startsWith("Usage: hearth"), () -> path + ": " + run);
        }
    }

    private static void collect(picocli.CommandLine line, java.util.List<String> path, java.util.List<java.util.List<String>> into) {
        into.add(java.util.List.copyOf(path));
        line.getSubcommands().forEach((name, sub) -> {
            java.util.List<String> next = new java.util.ArrayList<>(path);
            next.add(name);
            collect(sub, next, into);
        });
    }

    @Test
    void help_listsTheCommands() {
        Run run = run(Map.of(), "--help");
        assertEquals(0, run.exit());
        for (String command : new String[] {"login", "signup", "deploy", "invoke", "logs", "ls", "rm", "versions", "alias", "route", "url", "get"}) {
            assertTrue(run.out().contains("  " + command + " ") || run.out().contains("  " + command + "\n"), command + " in\n" + run.out());
        }
    }
}
