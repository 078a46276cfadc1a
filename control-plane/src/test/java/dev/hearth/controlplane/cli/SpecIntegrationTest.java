package dev.hearth.controlplane.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.controlplane.Api;
import dev.hearth.controlplane.HearthExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hearth apply}, {@code --dry-run}, {@code --prune} and {@code hearth export}, run as the
 * real CLI process against a real Hearth: a spec of two Python functions with an alias, a route
 * and a URL converges, a second apply changes nothing, an edit makes one new version, pruning
 * deletes only what the spec made, and a bad spec is one line naming the field.
 */
class SpecIntegrationTest {

    @RegisterExtension
    static HearthExtension hearth = HearthExtension.warm().with("HEARTH_POOL_PYTHON", "2");

    @TempDir
    Path dir;

    private Map<String, String> env;
    private String token;
    private String prefix;
    private Api api;

    @BeforeEach
    void freshUser(@TempDir Path home) {
        api = hearth.api();
        String user = "spec-" + UUID.randomUUID().toString().substring(0, 8);
        token = api.userWithToken(user);
        prefix = "/" + user;
        env = Map.of("HEARTH_CONFIG", home.resolve("config").toString(), "HEARTH_ENDPOINT", "http://127.0.0.1:" + hearth.port(),
                "HEARTH_TOKEN", token);
    }

    private CliProcess.Result ok(String... args) {
        CliProcess.Result result = CliProcess.run(env, args);
        assertEquals(0, result.exit(), result::toString);
        assertFalse(result.stderr().contains("Exception") || result.stderr().contains("\tat "), result::toString);
        return result;
    }

    private Path write(String relative, String text) throws IOException {
        Path path = dir.resolve(relative);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
        return path;
    }

    private String spec(boolean withGreet, int helloMemory) {
        return "name: shop\n"
                + "functions:\n"
                + "  hello:\n"
                + "    code: ./hello\n"
                + "    memoryMb: " + helloMemory + "\n"
                + "    env: {GREETING: hi}\n"
                + "    aliases:\n"
                + "      prod: {version: latest}\n"
                + (withGreet ? "  greet:\n"
                + "    code: ./greet.py\n"
                + "    url: {auth: none}\n" : "")
                + "routes:\n"
                + "  - {method: GET, path: \"" + prefix + "/hello/{name}\", function: hello, qualifier: prod, auth: none}\n";
    }

    private JsonNode function(String name) {
        Api.Reply reply = api.get("/v1/functions/" + name, token);
        assertEquals(200, reply.status(), reply::toString);
        return reply.json();
    }

    private String hello(String word) {
        return "import os\n\ndef handler(event, context):\n"
                + "    name = (event.get('pathParameters') or {}).get('name', 'you')\n"
                + "    return {'statusCode': 200, 'body': os.environ['GREETING'] + ' " + word + " ' + name}\n";
    }

    @Test
    void apply_converges_thenChangesNothing_thenOnlyWhatWasEdited_andPrunesOnlyWhatItMade() throws Exception {
        write("hello/main.py", hello("v1"));
        write("greet.py", "def handler(event, context):\n    return {'statusCode': 200, 'body': 'greetings'}\n");
        Path spec = write("hearth.yaml", spec(true, 128));
        assertEquals(201, api.post("/v1/functions", token, Api.pythonSource("manual", "def handler(e, c):\n    return 'mine'\n")).status());

        CliProcess.Result first = ok("apply", "-f", spec.toString());
        assertEquals(List.of(
                "+ function hello (python)",
                "+ function greet (python)",
                "+ alias hello:prod → v1",
                "+ route GET " + prefix + "/hello/{name} → hello:prod (auth none)",
                "+ url greet (auth none)",
                "applied: 5 created, 0 changed, 0 deleted"), first.stdout().lines().toList());
        JsonNode hello = function("hello");
        assertEquals("shop", hello.path("labels").path("hearth.dev/spec").asText(), "apply marks what it makes");
        assertEquals(1, hello.path("version").asLong());
        assertEquals("hi", hello.path("env").path("GREETING").asText());
        assertEquals("hi v1 ada", api.send("GET", prefix + "/hello/ada", null, null).text(), "the route serves it");
        String url = api.get("/v1/functions/greet/url", token).json().path("url").asText();
        assertEquals("greetings", api.send("GET", url.replaceFirst("^http://[^/]+", ""), null, null).text());

        // Nothing changed: nothing to change, and nothing was written.
        JsonNode greet = function("greet");
        JsonNode prod = api.get("/v1/functions/hello/aliases/prod", token).json();
        JsonNode routes = api.get("/v1/routes", token).json();
        CliProcess.Result second = ok("apply", "-f", spec.toString());
        assertEquals("nothing to change", second.out());
        assertEquals(hello, function("hello"));
        assertEquals(greet, function("greet"));
        assertEquals(prod, api.get("/v1/functions/hello/aliases/prod", token).json());
        assertEquals(routes, api.get("/v1/routes", token).json());

        // A dry run prints the plan and changes nothing.
        Files.writeString(spec, spec(true, 256));
        CliProcess.Result dry = ok("apply", "-f", spec.toString(), "--dry-run");
        assertEquals(List.of("~ function hello: memoryMb 128 → 256", "~ alias hello:prod: v1 → v2",
                "dry run: 0 to create, 2 to change, 0 to delete; nothing was changed"), dry.stdout().lines().toList());
        assertEquals(hello, function("hello"));

        // One function's code edited: only it gets a new version, and the alias (and route) follow it.
        Files.writeString(spec, spec(true, 128));
        write("hello/main.py", hello("v2"));
        CliProcess.Result edited = ok("apply", "-f", spec.toString());
        assertEquals(List.of("~ function hello: code changed", "~ alias hello:prod: v1 → v2",
                "applied: 0 created, 2 changed, 0 deleted"), edited.stdout().lines().toList());
        assertEquals(2, function("hello").path("version").asLong());
        assertEquals(greet, function("greet"), "greet was not touched");
        assertEquals("hi v2 ada", api.send("GET", prefix + "/hello/ada", null, null).text());

        // greet leaves the spec: kept without --prune, deleted with it; 'manual' was never the spec's.
        Files.writeString(spec, spec(false, 128));
        CliProcess.Result kept = ok("apply", "-f", spec.toString());
        assertEquals("nothing to change", kept.out());
        assertTrue(kept.stderr().contains("no longer in the spec, kept: greet ('hearth apply --prune' deletes it)"), kept::toString);
        CliProcess.Result pruned = ok("apply", "-f", spec.toString(), "--prune");
        assertEquals(List.of("- function greet (with its aliases, routes and URL)", "applied: 0 created, 0 changed, 1 deleted"),
                pruned.stdout().lines().toList());
        assertEquals(404, api.get("/v1/functions/greet", token).status());
        assertEquals(200, api.get("/v1/functions/manual", token).status(), "a function made outside the spec is not pruned");
        assertEquals("nothing to change", ok("apply", "-f", spec.toString(), "--prune").out());
    }

    @Test
    void outputJson_givesThePlanAndWhatEachChangeDid() throws Exception {
        write("hello/main.py", hello("v1"));
        Path spec = write("hearth.yaml", spec(false, 128));
        JsonNode plan = Api.JSON.readTree(ok("apply", "-f", spec.toString(), "--dry-run", "-o", "json").stdout());
        assertEquals(true, plan.path("dryRun").asBoolean());
        assertEquals(false, plan.path("applied").asBoolean());
        assertEquals(3, plan.path("changes").size());
        assertEquals(404, api.get("/v1/functions/hello", token).status(), "a dry run creates nothing");

        JsonNode applied = Api.JSON.readTree(ok("apply", "-f", spec.toString(), "-o", "json").stdout());
        assertEquals(true, applied.path("applied").asBoolean());
        assertEquals("+ function hello (python)", applied.path("changes").get(0).path("line").asText());
        assertEquals(1, applied.path("changes").get(0).path("version").asLong());
        assertEquals(1, applied.path("changes").get(1).path("version").asLong(), "the alias's version");
        assertFalse(applied.path("changes").get(2).path("id").asText().isEmpty(), "the route's id");
    }

    @Test
    void export_writesASpecThatAppliesAsNothingToChange() throws Exception {
        write("hello/main.py", hello("v1"));
        write("greet.py", "def handler(event, context):\n    return 'greetings'\n");
        Path spec = write("hearth.yaml", spec(true, 256));
        ok("apply", "-f", spec.toString());

        CliProcess.Result exported = ok("export", "hello", "greet");
        assertTrue(exported.stdout().contains("code: ./hello"), exported::toString);
        assertTrue(exported.stderr().contains("code is not downloaded"), exported::toString);
        // The exported spec beside the code, as the user would put it: the same code, so nothing to change.
        Files.move(dir.resolve("greet.py"), Files.createDirectories(dir.resolve("greet")).resolve("greet.py"));
        Path back = write("exported.yaml", exported.stdout());
        assertEquals("nothing to change", ok("apply", "-f", back.toString()).out());
    }

    @Test
    void badSpecs_areOneLineNamingTheField_andChangeNothing() throws Exception {
        write("hello/main.py", hello("v1"));
        Path spec = write("hearth.yaml", "functions:\n  hello:\n    code: ./hello\n    memroyMb: 128\n");
        CliProcess.Result unknown = CliProcess.run(env, "apply", "-f", spec.toString());
        assertEquals(2, unknown.exit(), unknown::toString);
        assertEquals(List.of("hearth: " + spec + ": unknown field 'functions.hello.memroyMb' (line 4); did you mean 'memoryMb'?"),
                unknown.stderr().lines().toList());
        assertEquals("", unknown.stdout());

        Files.writeString(spec, "functions:\n  hello:\n    code: ./nowhere\n");
        CliProcess.Result noCode = CliProcess.run(env, "apply", "-f", spec.toString());
        assertEquals(2, noCode.exit(), noCode::toString);
        assertEquals(1, noCode.stderr().lines().count(), noCode::toString);
        assertTrue(noCode.stderr().startsWith("hearth: " + spec + ": functions.hello.code: "), noCode::toString);

        // A function another spec made is not this spec's to take.
        Files.writeString(spec, "name: other\nfunctions:\n  hello:\n    code: ./hello\n");
        ok("apply", "-f", spec.toString());
        Files.writeString(spec, "name: shop\nfunctions:\n  hello:\n    code: ./hello\n");
        CliProcess.Result taken = CliProcess.run(env, "apply", "-f", spec.toString());
        assertEquals(5, taken.exit(), taken::toString);
        assertEquals(List.of("hearth: function 'hello' belongs to spec 'other' (its hearth.dev/spec label): take it out of one of the "
                + "two specs, or delete it first"), taken.stderr().lines().toList());
        assertEquals(List.of(), api.get("/v1/routes", token).json().path("routes").findValues("id"));
    }
}
