package dev.hearth.controlplane.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.controlplane.Api;
import dev.hearth.controlplane.HearthExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hearth dev} as the real CLI process against a real Hearth: it deploys a Python folder,
 * a saved edit is what the next call runs, the function's log lines are printed, a deploy that
 * fails is one line and the loop keeps watching, and SIGINT ends it with status 0 and a final line.
 */
class DevIntegrationTest {

    @RegisterExtension
    static HearthExtension hearth = HearthExtension.warm().with("HEARTH_POOL_PYTHON", "2");

    /** How long a saved change may take to be what a call runs (a bounded poll, not a timing). */
    static final Duration PICKED_UP = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @TempDir
    Path home;

    static String code(String version) {
        return "def handler(event, context):\n    print('running " + version + "')\n    return '" + version + "'\n";
    }

    /** Polls until a call of {@code name} answers {@code expected}; the last answer when it never does. */
    static String awaitAnswer(Api api, String token, String name, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + PICKED_UP.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            Api.Reply reply = api.invoke(token, name, "{}");
            last = reply.status() + " " + reply.text();
            if (reply.status() == 200 && reply.text().equals(expected)) {
                return reply.text();
            }
            Thread.sleep(100);
        }
        return last;
    }

    @Test
    void dev_redeploysEachSave_showsLogs_survivesAFailedDeploy_andEndsCleanlyOnSigint() throws Exception {
        Api api = hearth.api();
        String user = "dev-" + UUID.randomUUID().toString().substring(0, 8);
        String token = api.userWithToken(user);
        Map<String, String> env = Map.of("HEARTH_CONFIG", home.resolve("config").toString(),
                "HEARTH_ENDPOINT", "http://127.0.0.1:" + hearth.port(), "HEARTH_TOKEN", token);
        Path folder = Files.createDirectories(dir.resolve("loop"));
        Files.writeString(folder.resolve("main.py"), code("v1"));
        // Settings the function has are kept by every redeploy.
        CliProcess.Running dev = CliProcess.start(env, "dev", folder.toString(), "--name", "looped");
        try {
            dev.awaitLine(l -> l.equals("looped v1 ready") || l.startsWith("looped v1 ready in "), Duration.ofSeconds(60));
            assertEquals("\"v1\"", awaitAnswer(api, token, "looped", "\"v1\""));
            assertEquals(200, api.patch("/v1/functions/looped", token, Map.of("concurrency", 3)).status());

            // A save is what the next call runs.
            Files.writeString(folder.resolve("main.py"), code("v2"));
            dev.awaitLine(l -> l.startsWith("looped v2 ready in "), PICKED_UP);
            assertEquals("\"v2\"", awaitAnswer(api, token, "looped", "\"v2\""));
            assertEquals(3, api.get("/v1/functions/looped", token).json().path("concurrency").asInt(), "a redeploy keeps the settings");
            dev.awaitLine(l -> l.equals("[looped v2] running v2"), PICKED_UP);

            // A new folder's files are watched too.
            Files.createDirectories(folder.resolve("lib"));
            Files.writeString(folder.resolve("lib/words.py"), "WORD = 'v3'\n");
            dev.awaitLine(l -> l.startsWith("looped v3 ready in "), PICKED_UP);

            // A save that leaves nothing to deploy is one line, and the loop goes on.
            Files.move(folder.resolve("main.py"), folder.resolve("main.txt"));
            dev.awaitLine(l -> l.startsWith("deploy failed: no function found in "), PICKED_UP);
            Files.writeString(folder.resolve("main.py"), "from lib.words import WORD\n\ndef handler(event, context):\n    return WORD\n");
            dev.awaitLine(l -> l.startsWith("looped v4 ready in "), PICKED_UP);
            assertEquals("\"v3\"", awaitAnswer(api, token, "looped", "\"v3\""));
        } finally {
            dev.interrupt();
        }
        CliProcess.Result ended = dev.waitFor(Duration.ofSeconds(20));
        assertEquals(0, ended.exit(), ended::toString);
        List<String> err = ended.stderr().lines().toList();
        assertEquals("stopped watching " + folder, err.get(err.size() - 1), ended::toString);
        assertFalse(ended.stderr().contains("Exception") || ended.stderr().contains("\tat "), ended::toString);
        assertTrue(err.get(0).startsWith("watching " + folder + " as looped"), ended::toString);
    }
}
