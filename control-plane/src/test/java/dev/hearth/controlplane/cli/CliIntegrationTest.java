package dev.hearth.controlplane.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.controlplane.Api;
import dev.hearth.controlplane.HearthExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real CLI jar, run as a process, against a real Hearth: sign-up, deploying a Python folder,
 * a Node folder with package.json (built by npm, progress shown) and a Maven project (built by
 * Maven), invoking each, following logs, the management commands, and the one-line errors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliIntegrationTest {

    @RegisterExtension
    static HearthExtension hearth = HearthExtension.warm()
            .with("HEARTH_POOL_PYTHON", "1")
            .with("HEARTH_POOL_NODE", "1")
            .with("HEARTH_POOL_JAVA", "1");

    @TempDir
    Path dir;

    private Map<String, String> env;
    private String user;

    @BeforeAll
    void signUp(@TempDir Path home) {
        env = Map.of("HEARTH_CONFIG", home.resolve("hearth").resolve("config").toString());
        user = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        CliProcess.Result signup = CliProcess.run(env, "correct horse battery\n".getBytes(StandardCharsets.UTF_8),
                "signup", "--endpoint", endpoint(), "--username", user, "--password-stdin");
        assertEquals(0, signup.exit(), signup::toString);
        assertEquals("signed up and logged in to " + endpoint() + " as " + user, signup.out());
    }

    private String endpoint() {
        return "http://127.0.0.1:" + hearth.port();
    }

    private CliProcess.Result ok(String... args) {
        CliProcess.Result result = CliProcess.run(env, args);
        assertEquals(0, result.exit(), result::toString);
        return result;
    }

    private Path folder(String name, Map<String, String> files) throws IOException {
        Path root = dir.resolve(name);
        for (var file : files.entrySet()) {
            Path path = root.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
        return root;
    }

    private static List<String> lines(String text) {
        return text.lines().toList();
    }

    /** Asserts one {@code hearth: …} line on stderr and no stack trace. */
    private static void assertOneLine(CliProcess.Result result, int exit, String contains) {
        assertEquals(exit, result.exit(), result::toString);
        List<String> err = lines(result.stderr());
        assertEquals(1, err.size(), result::toString);
        assertTrue(err.get(0).startsWith("hearth: ") && err.get(0).contains(contains), result::toString);
        assertFalse(result.stderr().contains("Exception") || result.stderr().contains("\tat "), result::toString);
    }

    @Test
    void signup_keepsTheTokenInAnOwnerOnlyFile() throws IOException {
        Path config = Path.of(env.get("HEARTH_CONFIG"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config.getParent())));
        JsonNode profile = Api.JSON.readTree(config.toFile());
        assertEquals(endpoint(), profile.path("endpoint").asText());
        assertEquals(user, profile.path("username").asText());
        assertFalse(profile.path("token").asText().isEmpty());
        assertEquals(user + " at " + endpoint(), ok("whoami").out());
    }

    @Test
    void pythonFolder_deploysInvokesShowsLogs_andUpdates() throws Exception {
        Path code = folder("py-hello", Map.of(
                "main.py", "import helper\n\ndef handler(event, context):\n    print('handling', event.get('name'))\n    return helper.greet(event)\n",
                "helper.py", "def greet(event):\n    return {'hello': event.get('name', 'world')}\n"));
        CliProcess.Result deployed = ok("deploy", code.toString());
        assertEquals("py-hello v1 ready", deployed.out());

        CliProcess.Result invoked = ok("invoke", "py-hello", "-d", "{\"name\":\"Ada\"}");
        assertEquals("{\"hello\":\"Ada\"}", invoked.out());
        assertTrue(invoked.stderr().strip().matches("start=(pool|warm|cold) duration=[0-9.]+ms version=1 id=\\S+"), invoked::toString);

        // -f shows a new invocation's lines as they are stored (a bounded wait, not a timing).
        String marker = "marker-" + UUID.randomUUID().toString().substring(0, 8);
        CliProcess.Running logs = CliProcess.start(env, "logs", "-f", "py-hello");
        try {
            Path event = dir.resolve("event.json");
            Files.writeString(event, "{\"name\":\"" + marker + "\"}");
            ok("invoke", "py-hello", "-d", "@" + event);
            String line = logs.awaitLine(l -> l.contains("handling " + marker), Duration.ofSeconds(10));
            assertTrue(line.matches("\\S+ \\S+ stdout handling " + marker), line);
        } finally {
            logs.interrupt();
            logs.waitFor(Duration.ofSeconds(10));
        }
        CliProcess.Result recent = ok("logs", "py-hello", "--limit", "5");
        assertTrue(recent.stdout().contains("handling " + marker), recent::toString);

        Files.writeString(code.resolve("helper.py"), "def greet(event):\n    return {'hi': event.get('name', 'world')}\n");
        assertEquals("py-hello v2 ready", ok("deploy", code.toString()).out());
        assertEquals("{\"hi\":\"Bob\"}", ok("invoke", "py-hello", "-d", "{\"name\":\"Bob\"}").out());
        CliProcess.Result versions = ok("versions", "py-hello");
        assertTrue(lines(versions.out()).get(1).startsWith("*2") && lines(versions.out()).get(2).startsWith(" 1"), versions::toString);

        // Scripts get one JSON document.
        JsonNode invokedJson = Api.JSON.readTree(ok("invoke", "py-hello", "-o", "json", "-q", "1", "-d", "{\"name\":\"C\"}").stdout());
        assertEquals("C", invokedJson.path("result").path("hello").asText());
        assertEquals("1", invokedJson.path("version").asText());
        JsonNode listed = Api.JSON.readTree(ok("ls", "--output", "json").stdout());
        assertTrue(listed.path("functions").findValuesAsText("name").contains("py-hello"), listed::toString);
    }

    @Test
    void nodeFolder_withPackageJson_isBuilt_withProgressBeforeTheReadyLine() throws Exception {
        Path code = folder("node-deps", Map.of(
                "package.json", "{\"name\":\"node-deps\",\"version\":\"1.0.0\",\"main\":\"app.js\",\"dependencies\":{\"is-number\":\"7.0.0\"}}",
                "app.js", "const isNumber = require('is-number');\nexports.handler = async (e) => ({ n: e.n, isNumber: isNumber(e.n) });\n"));
        Files.createDirectories(code.resolve("node_modules/stale"));
        Files.writeString(code.resolve("node_modules/stale/index.js"), "left out of the bundle");
        CliProcess.Result deployed = ok("deploy", code.toString(), "--name", "node-deps", "--memory", "256");
        assertEquals("node-deps v1 ready", deployed.out());
        List<String> progress = lines(deployed.stderr());
        // Status lines (queued/building) and the build's own log lines come before the end.
        assertTrue(progress.stream().anyMatch(l -> l.startsWith("building node-deps v1") || l.startsWith("queued node-deps v1")), deployed::toString);
        assertTrue(progress.stream().anyMatch(l -> l.startsWith("  ")), deployed::toString);
        assertTrue(progress.get(progress.size() - 1).startsWith("built node-deps v1"), deployed::toString);
        assertEquals("{\"n\":5,\"isNumber\":true}", ok("invoke", "node-deps", "-d", "{\"n\":5}").out());
        assertEquals(256, Api.JSON.readTree(ok("get", "node-deps", "-o", "json").stdout()).path("memoryMb").asInt());
        // An update keeps the settings it is not given.
        assertEquals("node-deps v2 ready", ok("deploy", code.toString(), "--name", "node-deps", "--env", "A=1").out());
        JsonNode function = Api.JSON.readTree(ok("get", "node-deps", "-o", "json").stdout());
        assertEquals(256, function.path("memoryMb").asInt());
        assertEquals("1", function.path("env").path("A").asText());
    }

    @Test
    void mavenProject_isBuilt_withTheHandlerFoundInItsSources() throws Exception {
        Path code = folder("java-words", Map.of(
                "pom.xml", """
                        <project xmlns="http://maven.apache.org/POM/4.0.0">
                          <modelVersion>4.0.0</modelVersion>
                          <groupId>example</groupId><artifactId>words</artifactId><version>1.0</version>
                          <properties>
                            <maven.compiler.release>21</maven.compiler.release>
                            <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                          </properties>
                          <dependencies>
                            <dependency><groupId>com.amazonaws</groupId><artifactId>aws-lambda-java-core</artifactId><version>1.2.3</version></dependency>
                          </dependencies>
                        </project>
                        """,
                "src/main/java/example/Shout.java", """
                        package example;

                        import com.amazonaws.services.lambda.runtime.Context;
                        import com.amazonaws.services.lambda.runtime.RequestHandler;
                        import java.util.Map;

                        public class Shout implements RequestHandler<Map<String, String>, String> {
                            @Override
                            public String handleRequest(Map<String, String> event, Context context) {
                                return event.get("text").toUpperCase() + "!";
                            }
                        }
                        """,
                "src/main/java/example/Unused.java", "package example;\nclass Unused {}\n"));
        CliProcess.Result deployed = ok("deploy", code.toString());
        assertEquals("java-words v1 ready", deployed.out());
        JsonNode function = Api.JSON.readTree(ok("get", "java-words", "--output", "json").stdout());
        assertEquals("example.Shout", function.path("handler").asText());
        assertEquals("\"HI!\"", ok("invoke", "java-words", "-d", "{\"text\":\"hi\"}").out());
    }

    @Test
    void aliasesUrlsAndRoutes_areManagedFromTheCli() throws Exception {
        Path file = folder("mgmt", Map.of("mgmt.py", "def handler(event, context):\n    return 'v1'\n")).resolve("mgmt.py");
        assertEquals("mgmt v1 ready", ok("deploy", file.toString()).out());
        Files.writeString(file, "def handler(event, context):\n    return 'v2'\n");
        assertEquals("mgmt v2 ready", ok("deploy", file.toString(), "--description", "second").out());

        assertEquals("mgmt:prod -> v1 (v2=0.25)", ok("alias", "set", "mgmt", "prod", "--version", "1", "--weight", "2=0.25").out());
        assertTrue(ok("alias", "ls", "mgmt").out().contains("prod   1        v2=0.25"), () -> CliProcess.run(env, "alias", "ls", "mgmt").toString());
        assertEquals("mgmt:prod -> v1", ok("alias", "set", "mgmt", "prod", "-v", "1").out());
        assertEquals("\"v1\"", ok("invoke", "mgmt", "--qualifier", "prod").out());

        String url = ok("url", "set", "mgmt", "--auth", "none", "--qualifier", "prod").out();
        assertTrue(url.matches("http://\\S+/fn/\\S+/ -> mgmt:prod \\(auth none\\)"), url);
        assertEquals(url, ok("url", "get", "mgmt").out());

        JsonNode route = Api.JSON.readTree(ok("route", "add", "get", "/cli-" + user, "mgmt", "-o", "json").stdout());
        assertEquals("GET", route.path("method").asText());
        assertEquals("token", route.path("auth").asText());
        assertTrue(ok("route", "ls").out().contains(route.path("id").asText()));
        ok("route", "rm", route.path("id").asText());
        ok("url", "rm", "mgmt");
        assertOneLine(CliProcess.run(env, "url", "get", "mgmt"), 4, "");
        ok("alias", "rm", "mgmt", "prod");

        assertEquals("deleted mgmt", ok("rm", "mgmt", "--yes").out());
        assertOneLine(CliProcess.run(env, "get", "mgmt"), 4, "mgmt");
    }

    @Test
    void functionError_isOneLineOnStderr_andExit1() throws Exception {
        Path code = folder("boom", Map.of("main.py", "def handler(event, context):\n    raise ValueError('boom ' + str(event.get('n')))\n"));
        ok("deploy", code.toString());
        CliProcess.Result invoked = CliProcess.run(env, "invoke", "boom", "-d", "{\"n\":7}");
        assertOneLine(invoked, 1, "function error: ValueError: boom 7");
        assertEquals("", invoked.stdout());
    }

    @Test
    void badInput_isOneClearLine_andANonZeroExit() throws Exception {
        Map<String, String> fresh = Map.of("HEARTH_CONFIG", dir.resolve("nobody/config").toString());
        assertOneLine(CliProcess.run(fresh, "ls"), 3, "not logged in: run 'hearth login' first");

        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        assertOneLine(CliProcess.run(Map.of("HEARTH_CONFIG", env.get("HEARTH_CONFIG"), "HEARTH_ENDPOINT", "http://127.0.0.1:" + closed), "ls"),
                7, "cannot reach http://127.0.0.1:" + closed + ": connection refused");

        assertOneLine(CliProcess.run(env, "invoke", "no-such-function"), 4, "no-such-function");

        Path nothing = folder("nothing", Map.of("README.md", "# no code here", "data.csv", "a,b\n"));
        assertOneLine(CliProcess.run(env, "deploy", nothing.toString()), 2, "no function found in " + nothing);

        assertOneLine(CliProcess.run(fresh, "login", "--endpoint", endpoint(), "--username", user, "--password-stdin"),
                2, "password is empty");
        CliProcess.Result wrong = CliProcess.run(fresh, "wrong password\n".getBytes(StandardCharsets.UTF_8),
                "login", "--endpoint", endpoint(), "--username", user, "--password-stdin");
        assertOneLine(wrong, 3, "");
        assertFalse(Files.exists(Path.of(fresh.get("HEARTH_CONFIG"))));
    }
}
