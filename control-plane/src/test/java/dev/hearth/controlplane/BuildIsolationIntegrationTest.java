package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds attacked by their own build scripts: what a build links to is never read on the host,
 * what it plants in its caches never reaches another owner, and another owner's identical upload
 * is built for that owner alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BuildIsolationIntegrationTest {

    /** Small, so the test fills it quickly; room enough for these tests' Maven builds. */
    static final int BUILD_DISK_MB = 192;
    @RegisterExtension
    static HearthExtension hearth = HearthExtension.warm()
            .with("HEARTH_POOL_NODE", "1")
            .with("HEARTH_BUILD_DISK_MB", Integer.toString(BUILD_DISK_MB));
    Api api;
    String mallory;
    String victim;

    @BeforeAll
    void start() {
        api = hearth.api();
        mallory = api.userWithToken("mallory");
        victim = api.userWithToken("victim");
    }

    private JsonNode build(String token, ObjectNode body) throws InterruptedException {
        Api.Reply created = api.post("/v1/functions", token, body);
        assertEquals(202, created.status(), created::toString);
        return api.awaitBuilt(token, body.get("name").asText());
    }

    private JsonNode buildInfo(String token, String name) {
        return api.get("/v1/functions/" + name + "/build", token).json();
    }

    @Test
    void buildThatLinksHostFiles_yieldsNoneOfTheirContent() throws Exception {
        // The builder's mounts name the host folders (/proc/self/mountinfo), so the data folder and
        // the store's file are not secrets to a build script.
        var body = Api.archive("leak", "node", "index.handler", Map.of(
                "package.json", "{\"name\":\"leak\",\"version\":\"1.0.0\",\"scripts\":{\"preinstall\":\"sh plant.sh\"}}",
                "plant.sh", """
                        root=$(awk '$5 == "/work/out" {print $4}' /proc/self/mountinfo)
                        data=${root%/builds/*}
                        ln -s /etc/shadow leak-shadow
                        ln -s "$data/store/hearth.mv" leak-store
                        ln -s /etc leak-etc
                        ln -s /proc/1/environ leak-environ
                        mkfifo leak-fifo
                        """,
                "index.js", """
                        const fs = require('fs');
                        exports.handler = async () => {
                          const seen = {};
                          for (const f of fs.readdirSync(__dirname)) {
                            try { seen[f] = fs.readFileSync(__dirname + '/' + f, 'latin1').slice(0, 4000); }
                            catch (e) { seen[f] = 'unreadable: ' + e.code; }
                          }
                          return seen;
                        };
                        """));
        JsonNode built = build(mallory, body);
        String log = buildInfo(mallory, "leak").get("log").asText();
        assertEquals("ready", built.get("status").asText(), log);
        for (String link : List.of("leak-shadow", "leak-store", "leak-etc", "leak-environ")) {
            assertTrue(log.contains("left out " + link + ": a symbolic link"), log);
        }
        assertTrue(log.contains("left out leak-fifo: not a regular file"), log);

        Api.Reply reply = api.invoke(mallory, "leak", "{}");
        assertEquals(200, reply.status(), reply::toString);
        JsonNode files = reply.json();
        for (String leaked : List.of("leak-shadow", "leak-store", "leak-etc", "leak-environ", "leak-fifo")) {
            assertFalse(files.has(leaked), leaked + " reached the function: " + reply.text());
        }
        String shadow = Files.readAllLines(Path.of("/etc/shadow")).get(0);
        assertFalse(reply.text().contains(shadow), "the host's /etc/shadow reached the function");
        assertTrue(files.has("index.js") && files.has("package.json"), reply::toString);
    }

    /** A class of the attacker's, compiled here and packed as a jar, that reports the secret of whoever runs it. */
    private static byte[] plantedJar(Path work) throws Exception {
        Path source = Files.createDirectories(work.resolve("src/planted")).resolve("Planted.java");
        Files.writeString(source, """
                package planted;
                public class Planted {
                    public static String hello() { return "planted ran with " + System.getenv("SECRET"); }
                }
                """);
        Path classes = Files.createDirectories(work.resolve("classes"));
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, null,
                "--release", "17", "-d", classes.toString(), source.toString());
        assertEquals(0, status, "javac");
        var jar = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(jar)) {
            zip.putNextEntry(new ZipEntry("planted/Planted.class"));
            zip.write(Files.readAllBytes(classes.resolve("planted/Planted.class")));
            zip.closeEntry();
        }
        return jar.toByteArray();
    }

    /** A Maven project that depends on the planted artifact, which Maven Central does not have. */
    private static ObjectNode victimProject(String name, String secret) {
        var body = Api.archive(name, "java", "example.Victim::handle", Map.of(
                "pom.xml", """
                        <project xmlns="http://maven.apache.org/POM/4.0.0">
                          <modelVersion>4.0.0</modelVersion>
                          <groupId>example</groupId><artifactId>victim</artifactId><version>1.0</version>
                          <properties>
                            <maven.compiler.release>21</maven.compiler.release>
                            <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                          </properties>
                          <dependencies>
                            <dependency><groupId>dev.hearth.test</groupId><artifactId>planted</artifactId><version>1.0</version></dependency>
                          </dependencies>
                        </project>
                        """,
                "src/main/java/example/Victim.java", """
                        package example;
                        public class Victim {
                            public String handle(String event) { return planted.Planted.hello(); }
                        }
                        """));
        body.putObject("env").put("SECRET", secret);
        return body;
    }

    @Test
    void artifactPlantedInACache_neverReachesAnotherOwnersBuild(@TempDir Path work) throws Exception {
        String jar = Base64.getEncoder().encodeToString(plantedJar(work));
        // A pip build runs setup.py: tenant code with the build's caches mounted.
        JsonNode planted = build(mallory, Api.archive("plant", "python", "main.handler", Map.of(
                "requirements.txt", "./vendor/plant\n",
                "main.py", "def handler(event, context):\n    return 'planted'\n",
                "vendor/plant/setup.py", """
                        import base64, os
                        from setuptools import setup
                        repo = "/cache/m2/dev/hearth/test/planted/1.0"
                        os.makedirs(repo, exist_ok=True)
                        with open(repo + "/planted-1.0.jar", "wb") as f:
                            f.write(base64.b64decode("%s"))
                        with open(repo + "/planted-1.0.pom", "w") as f:
                            f.write('<project><modelVersion>4.0.0</modelVersion><groupId>dev.hearth.test</groupId>'
                                    '<artifactId>planted</artifactId><version>1.0</version></project>')
                        for cache in ("/cache/npm", "/cache/pip"):
                            with open(cache + "/planted-by-mallory", "w") as f:
                                f.write("x")
                        setup(name="plant", version="1.0", py_modules=[])
                        """.formatted(jar))));
        assertEquals("ready", planted.get("status").asText(), () -> buildInfo(mallory, "plant").toString());

        // The attack works on the attacker's own builds (its caches are kept for it)...
        JsonNode own = build(mallory, victimProject("own", "mallory-secret"));
        assertEquals("ready", own.get("status").asText(), () -> buildInfo(mallory, "own").toString());
        assertEquals("\"planted ran with mallory-secret\"", api.invoke(mallory, "own", "\"x\"").text());

        // ...and never on another owner's: the victim's Maven finds no such artifact.
        JsonNode victims = build(victim, victimProject("victim", "victim-secret"));
        String log = buildInfo(victim, "victim").get("log").asText();
        assertEquals("failed", victims.get("status").asText(), log);
        assertTrue(log.contains("dev.hearth.test:planted"), log);

        // Nor is anything in the victim's npm and pip caches the attacker's.
        JsonNode listed = build(victim, Api.archive("lister", "python", "main.handler", Map.of(
                "requirements.txt", "./vendor/lister\n",
                "main.py", "def handler(event, context):\n    return open('listing.txt').read().split()\n",
                "vendor/lister/setup.py", """
                        import os
                        from setuptools import setup
                        with open("/work/out/listing.txt", "w") as f:
                            for top, dirs, files in os.walk("/cache"):
                                for name in files:
                                    f.write(os.path.join(top, name) + "\\n")
                        setup(name="lister", version="1.0", py_modules=[])
                        """)));
        assertEquals("ready", listed.get("status").asText(), () -> buildInfo(victim, "lister").toString());
        JsonNode listing = api.invoke(victim, "lister", "{}").json();
        assertTrue(listing.size() > 0, "the victim's own caches are listed");
        listing.forEach(path -> assertFalse(path.asText().contains("planted-by-mallory")
                || path.asText().endsWith("planted-1.0.jar") || path.asText().endsWith("planted-1.0.pom"), listing::toString));
    }

    @Test
    void buildWritingEverywhere_stopsAtTheBuildDisk() throws Exception {
        JsonNode built = build(mallory, Api.archive("filler", "python", "main.handler", Map.of(
                "requirements.txt", "./vendor/filler\n",
                "main.py", "import json\n\ndef handler(event, context):\n    return json.load(open('written.json'))\n",
                "vendor/filler/setup.py", HostileCode.FILL + """
                        import json
                        from setuptools import setup
                        written = fill(["/work/out/fill", "/work/src/fill", "/cache/m2/fill", "/cache/npm/fill", "/cache/pip/fill"])
                        with open("/work/out/written.json", "w") as f:
                            json.dump(written, f)
                        setup(name="filler", version="1.0", py_modules=[])
                        """)));
        assertEquals("ready", built.get("status").asText(), () -> buildInfo(mallory, "filler").toString());
        Api.Reply reply = api.invoke(mallory, "filler", "{}");
        assertEquals(200, reply.status(), reply::toString);
        assertEquals(5, reply.json().size(), reply::toString);
        reply.json().fields().forEachRemaining(e -> assertTrue(e.getValue().asLong() <= BUILD_DISK_MB * 1024L * 1024,
                e.getKey() + " took " + e.getValue() + " bytes: " + reply.text()));
    }

    @Test
    void anotherOwnersIdenticalUpload_isBuiltForItsOwner() throws Exception {
        String code = "package example;\npublic class Same { public static String same(String s) { return s; } }\n";
        assertEquals("ready", build(mallory, Api.source("same", "java", "example.Same::same", "Same.java", code)).get("status").asText());
        assertEquals("ready", build(victim, Api.source("same", "java", "example.Same::same", "Same.java", code)).get("status").asText());
        JsonNode theirs = buildInfo(victim, "same");
        assertFalse(theirs.get("cached").asBoolean(), theirs::toString);
        assertFalse(theirs.get("log").asText().contains("reused"), theirs::toString);
        // The same owner's identical upload is still reused.
        assertEquals("ready", build(victim, Api.source("same-again", "java", "example.Same::same", "Same.java", code)).get("status").asText());
        assertTrue(buildInfo(victim, "same-again").get("cached").asBoolean());
    }
}
