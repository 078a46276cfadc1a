package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.poolmanager.code.TestZips;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node and Java functions with Lambda's handler conventions, and server-side builds (npm, Maven,
 * javac, pip) in builder containers that download from the real registries; Java 25 functions
 * ({@code java25}) on their own image, compiled for 25.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RuntimesIntegrationTest {

    @RegisterExtension
    static HearthExtension hearth = HearthExtension.warm()
            .with("HEARTH_POOL_PYTHON", "1")
            .with("HEARTH_POOL_NODE", "2")
            .with("HEARTH_POOL_JAVA", "2")
            .with("HEARTH_POOL_JAVA25", "1");
    Api api;
    String token;

    @BeforeAll
    void start() {
        api = hearth.api();
        token = api.userWithToken("rita");
    }

    private JsonNode createAndAwait(Object body, String name) throws InterruptedException {
        return api.createBuilt(token, name, body);
    }

    private JsonNode record(Api.Reply invoked) {
        return api.record(token, invoked);
    }

    @Test
    void node_asyncHandler_withEnvAndConsoleLog_fromThePool() throws Exception {
        var body = Api.source("node-hello", "node", "index.handler", "index.js", """
                exports.handler = async (event, context) => {
                  console.log("greeting", event.name);
                  return { message: `${process.env.GREETING}, ${event.name}`, fn: context.functionName,
                           left: context.getRemainingTimeInMillis() > 0 };
                };
                """);
        body.putObject("env").put("GREETING", "Hello");
        assertEquals("ready", createAndAwait(body, "node-hello").get("status").asText());

        Api.Reply first = api.invoke(token, "node-hello", "{\"name\":\"Ada\"}");
        assertEquals(200, first.status(), first::toString);
        assertEquals("{\"message\":\"Hello, Ada\",\"fn\":\"node-hello\",\"left\":true}", first.text());
        assertEquals("pool", first.header("X-Hearth-Start"));
        Api.Reply second = api.invoke(token, "node-hello", "{\"name\":\"Bob\"}");
        assertEquals("warm", second.header("X-Hearth-Start"));
        assertTrue(record(first).get("logs").get(0).asText().endsWith("\tstdout\tgreeting Ada"), record(first)::toString);
    }

    @Test
    void node_callbackAndEsModuleHandlers() throws Exception {
        createAndAwait(Api.source("node-callback", "node", "index.handler", "index.js",
                "exports.handler = (event, context, callback) => { setTimeout(() => callback(null, event * 2), 10); };\n"),
                "node-callback");
        assertEquals("42", api.invoke(token, "node-callback", "21").text());

        createAndAwait(Api.source("node-esm", "node", "app.handler", "app.mjs",
                "export const handler = async (event) => ({ esm: true, got: event });\n"), "node-esm");
        assertEquals("{\"esm\":true,\"got\":[1]}", api.invoke(token, "node-esm", "[1]").text());

        Api.Reply failed = api.invoke(token, "node-callback", "\"not a number\"");
        assertEquals(200, failed.status(), "NaN becomes null in JSON, as on Lambda: " + failed);
    }

    @Test
    void node_zipWithPackageJson_isInstalledWithNpm() throws Exception {
        JsonNode built = createAndAwait(Api.archive("node-deps", "node", "index.handler", Map.of(
                "package.json", "{\"name\":\"deps\",\"version\":\"1.0.0\",\"dependencies\":{\"is-number\":\"7.0.0\"}}",
                "index.js", "const isNumber = require('is-number');\nexports.handler = async (e) => ({ n: e.n, isNumber: isNumber(e.n) });\n")),
                "node-deps");
        assertEquals("ready", built.get("status").asText(), () -> api.get("/v1/functions/node-deps/build", token).text());
        assertEquals("{\"n\":\"5\",\"isNumber\":true}", api.invoke(token, "node-deps", "{\"n\":\"5\"}").text());
        JsonNode build = api.get("/v1/functions/node-deps/build", token).json();
        assertEquals("succeeded", build.get("status").asText());
        assertTrue(build.get("log").asText().contains("npm install"), build::toString);
    }

    @Test
    void java_singleFileHandler_isCompiled_andUsesLoggerAndContext() throws Exception {
        var body = Api.source("java-hello", "java", "example.Hello", "Hello.java", """
                package example;

                import com.amazonaws.services.lambda.runtime.Context;
                import com.amazonaws.services.lambda.runtime.RequestHandler;
                import java.util.Map;

                public class Hello implements RequestHandler<Map<String, Object>, String> {
                    @Override
                    public String handleRequest(Map<String, Object> event, Context context) {
                        context.getLogger().log("handling " + event.get("name"));
                        return "Hello " + event.get("name") + " from " + context.getFunctionName();
                    }
                }
                """);
        JsonNode built = createAndAwait(body, "java-hello");
        assertEquals("ready", built.get("status").asText(), () -> api.get("/v1/functions/java-hello/build", token).text());

        Api.Reply first = api.invoke(token, "java-hello", "{\"name\":\"Ada\"}");
        assertEquals(200, first.status(), first::toString);
        assertEquals("\"Hello Ada from java-hello\"", first.text());
        assertEquals("pool", first.header("X-Hearth-Start"));
        assertEquals("warm", api.invoke(token, "java-hello", "{\"name\":\"Bob\"}").header("X-Hearth-Start"));
        assertTrue(record(first).get("logs").toString().contains("handling Ada"), record(first)::toString);
    }

    @Test
    void java_mavenProject_withACentralDependency_buildsAndRuns() throws Exception {
        JsonNode built = createAndAwait(Api.archive("java-maven", "java", "example.Words::capitalize", Map.of(
                "pom.xml", """
                        <project xmlns="http://maven.apache.org/POM/4.0.0">
                          <modelVersion>4.0.0</modelVersion>
                          <groupId>example</groupId><artifactId>words</artifactId><version>1.0</version>
                          <properties>
                            <maven.compiler.release>21</maven.compiler.release>
                            <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                          </properties>
                          <dependencies>
                            <dependency><groupId>org.apache.commons</groupId><artifactId>commons-text</artifactId><version>1.12.0</version></dependency>
                          </dependencies>
                        </project>
                        """,
                "src/main/java/example/Words.java", """
                        package example;

                        import org.apache.commons.text.WordUtils;

                        public class Words {
                            public String capitalize(String text) {
                                return WordUtils.capitalizeFully(text);
                            }
                        }
                        """)), "java-maven");
        assertEquals("ready", built.get("status").asText(), () -> api.get("/v1/functions/java-maven/build", token).text());
        assertEquals("\"Hello Wide World\"", api.invoke(token, "java-maven", "\"hELLO wide WORLD\"").text());
    }

    @Test
    void java_brokenSource_endsFailed_withTheCompilerMessage() throws Exception {
        JsonNode failed = createAndAwait(Api.source("java-broken", "java", "example.Broken", "Broken.java",
                "package example;\npublic class Broken { int x = \"not an int\"; }\n"), "java-broken");
        assertEquals("failed", failed.get("status").asText());
        JsonNode build = api.get("/v1/functions/java-broken/build", token).json();
        assertEquals("failed", build.get("status").asText());
        assertTrue(build.get("log").asText().contains("incompatible types"), build::toString);
        Api.Reply invoked = api.invoke(token, "java-broken", "{}");
        assertEquals(409, invoked.status(), invoked::toString);
    }

    @Test
    void python_zipWithLocalPathRequirement_isInstalledWithPip() throws Exception {
        JsonNode built = createAndAwait(Api.archive("py-deps", "python", "main.handler", Map.of(
                "requirements.txt", "./vendor/greet\n",
                "vendor/greet/setup.py", "from setuptools import setup\nsetup(name='greet', version='1.0', packages=['greet'])\n",
                "vendor/greet/greet/__init__.py", "def hello(name):\n    return 'hello ' + name\n",
                "main.py", "import greet\n\ndef handler(event, context):\n    return greet.hello(event['name'])\n")), "py-deps");
        assertEquals("ready", built.get("status").asText(), () -> api.get("/v1/functions/py-deps/build", token).text());
        assertEquals("\"hello Ada\"", api.invoke(token, "py-deps", "{\"name\":\"Ada\"}").text());
    }

    @Test
    void sameSource_isBuiltOnce() throws Exception {
        String code = "package example;\npublic class Twice { public static String twice(String s) { return s + s; } }\n";
        createAndAwait(Api.source("java-once", "java", "example.Twice::twice", "Twice.java", code), "java-once");
        JsonNode second = createAndAwait(Api.source("java-again", "java", "example.Twice::twice", "Twice.java", code), "java-again");
        assertEquals("ready", second.get("status").asText());
        JsonNode build = api.get("/v1/functions/java-again/build", token).json();
        assertTrue(build.get("cached").asBoolean(), build::toString);
        assertEquals("\"abab\"", api.invoke(token, "java-again", "\"ab\"").text());
    }

    /** Reports the JVM it runs on, its Lambda environment, and the class file version javac wrote for it. */
    private static final String SPEC_SOURCE = """
            package example;

            import com.amazonaws.services.lambda.runtime.Context;
            import com.amazonaws.services.lambda.runtime.RequestHandler;
            import java.io.DataInputStream;
            import java.io.IOException;
            import java.io.UncheckedIOException;
            import java.util.Map;

            public class Spec implements RequestHandler<Object, Map<String, Object>> {
                @Override
                public Map<String, Object> handleRequest(Object event, Context context) {
                    try (var in = new DataInputStream(Spec.class.getResourceAsStream("Spec.class"))) {
                        in.readInt();
                        in.readUnsignedShort();
                        return Map.of("spec", System.getProperty("java.specification.version"),
                                "env", System.getenv("AWS_EXECUTION_ENV"), "classVersion", in.readUnsignedShort());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
            """;

    @Test
    void java25_source_isCompiledFor25_andRunsOnTheJava25Image() throws Exception {
        JsonNode built = createAndAwait(Api.source("java25-spec", "java25", "example.Spec", "Spec.java", SPEC_SOURCE), "java25-spec");
        assertEquals("ready", built.get("status").asText(), () -> api.get("/v1/functions/java25-spec/build", token).text());
        assertEquals("java25", built.get("runtime").asText(), built::toString);
        assertEquals("java25", built.get("lambdaRuntime").asText(), built::toString);

        Api.Reply first = api.invoke(token, "java25-spec", "{}");
        assertEquals(200, first.status(), first::toString);
        JsonNode answer = first.json();
        assertEquals("25", answer.get("spec").asText(), first::toString);
        assertEquals("AWS_Lambda_java25", answer.get("env").asText(), first::toString);
        assertEquals(69, answer.get("classVersion").asInt(), "class files of Java 25 (69), not of 21 (65): " + first);
        assertEquals("pool", first.header("X-Hearth-Start"), "HEARTH_POOL_JAVA25 keeps one waiting");

        // The same source for java is another build, for 21, on the Java 21 image.
        JsonNode java21 = createAndAwait(Api.source("java21-spec", "java", "example.Spec", "Spec.java", SPEC_SOURCE), "java21-spec");
        assertEquals("ready", java21.get("status").asText(), () -> api.get("/v1/functions/java21-spec/build", token).text());
        assertFalse(api.get("/v1/functions/java21-spec/build", token).json().get("cached").asBoolean(),
                "java25's build output is not java's");
        JsonNode onJava21 = api.invoke(token, "java21-spec", "{}").json();
        assertEquals("21", onJava21.get("spec").asText(), onJava21::toString);
        assertEquals("AWS_Lambda_java21", onJava21.get("env").asText(), onJava21::toString);
        assertEquals(65, onJava21.get("classVersion").asInt(), onJava21::toString);
    }

    @Test
    void java25_zipWithAJar_runsAsItIs_onJava25(@TempDir Path work) throws Exception {
        Path source = Files.createDirectories(work.resolve("src/example")).resolve("Jarred.java");
        Files.writeString(source, """
                package example;

                import java.util.Map;

                public class Jarred {
                    public Map<String, String> handle(Map<String, Object> event) {
                        return Map.of("spec", System.getProperty("java.specification.version"), "env", System.getenv("AWS_EXECUTION_ENV"));
                    }
                }
                """);
        Path classes = Files.createDirectories(work.resolve("classes"));
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null,
                "--release", "17", "-d", classes.toString(), source.toString()), "javac");
        byte[] jar = TestZips.of(Map.of("example/Jarred.class", Files.readAllBytes(classes.resolve("example/Jarred.class"))));
        String archive = Base64.getEncoder().encodeToString(TestZips.of(Map.of("lib/jarred.jar", jar)));

        for (String runtime : new String[] {"java25", "java"}) {
            ObjectNode body = Api.JSON.createObjectNode().put("name", runtime + "-jar").put("runtime", runtime)
                    .put("handler", "example.Jarred::handle").put("archive", archive);
            Api.Reply created = api.post("/v1/functions", token, body);
            assertEquals(201, created.status(), "compiled code needs no build: " + created);
            assertEquals(runtime, created.json().get("runtime").asText(), created::toString);
        }
        Api.Reply on25 = api.invoke(token, "java25-jar", "{}");
        assertEquals(200, on25.status(), on25::toString);
        assertEquals("25", on25.json().get("spec").asText(), on25::toString);
        assertEquals("AWS_Lambda_java25", on25.json().get("env").asText(), on25::toString);
        Api.Reply on21 = api.invoke(token, "java-jar", "{}");
        assertEquals("21", on21.json().get("spec").asText(), on21::toString);
        assertEquals("AWS_Lambda_java21", on21.json().get("env").asText(), on21::toString);
    }
}
