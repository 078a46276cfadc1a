package dev.hearth.cli.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.cli.CliException;
import dev.hearth.cli.ExitCode;
import dev.hearth.cli.spec.Spec.AliasSpec;
import dev.hearth.cli.spec.Spec.FunctionSpec;
import dev.hearth.cli.spec.Spec.RouteSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecReaderTest {

    static final String EXAMPLE = """
            name: shop
            functions:
              hello:
                code: ./hello
                runtime: python
                handler: main.handler
                memoryMb: 128
                timeoutMs: 5000
                concurrency: 4
                minWarm: 1
                network: egress
                env: {GREETING: hi, PORT: 8080}
                description: first cut
                labels: {team: web}
                aliases:
                  prod: {version: latest}
                  canary: {version: 3, weights: {"4": 0.1}, description: ten percent}
                url: {auth: none, qualifier: prod, cors: {allowOrigins: ["https://Example.com"], allowMethods: [get]}}
              resizer:
                image: hearth/example-http
                contract: http
            routes:
              - {method: get, path: "/hello/{name}", function: hello, qualifier: prod, auth: none}
              - {method: POST, path: /resize, function: resizer, auth: token, host: API.example.com}
            """;

    static Spec parse(String text) {
        return SpecReader.parse(text, "hearth.yaml", "project");
    }

    static String refusal(String text) {
        CliException e = assertThrows(CliException.class, () -> parse(text));
        assertEquals(ExitCode.USAGE, e.exitCode());
        return e.getMessage();
    }

    @Test
    void parse_readsEveryField_andNormalisesWhatTheServerWould() {
        Spec spec = parse(EXAMPLE);
        assertEquals("shop", spec.name());
        assertEquals(List.of("hello", "resizer"), List.copyOf(spec.functions().keySet()), "in the order written");
        FunctionSpec hello = spec.functions().get("hello");
        assertEquals("./hello", hello.code());
        assertEquals("python", hello.runtime());
        assertEquals("main.handler", hello.handler());
        assertEquals(128, hello.memoryMb());
        assertEquals(5000, hello.timeoutMs());
        assertEquals(4, hello.concurrency());
        assertEquals(1, hello.minWarm());
        assertEquals("egress", hello.network());
        assertEquals(Map.of("GREETING", "hi", "PORT", "8080"), hello.env(), "a number in YAML is the variable's text");
        assertEquals("first cut", hello.description());
        assertEquals(Map.of("team", "web"), hello.labels());
        assertEquals(new AliasSpec("latest", Map.of(), null), hello.aliases().get("prod"));
        assertEquals(new AliasSpec("3", Map.of("4", 0.1), "ten percent"), hello.aliases().get("canary"));
        assertEquals("none", hello.url().auth());
        assertEquals("prod", hello.url().qualifier());
        assertEquals(List.of("https://example.com"), hello.url().cors().allowOrigins());
        assertEquals(List.of("GET"), hello.url().cors().allowMethods());
        assertEquals(0, hello.url().cors().maxAge());
        FunctionSpec resizer = spec.functions().get("resizer");
        assertEquals("hearth/example-http", resizer.image());
        assertEquals("http", resizer.contract());
        assertNull(resizer.code());
        assertEquals(List.of(new RouteSpec("GET", "/hello/{name}", "hello", "prod", "none", null),
                new RouteSpec("POST", "/resize", "resizer", null, "token", "api.example.com")), spec.routes());
    }

    @Test
    void parse_namesTheSpecAfterItsFolder_byDefault() {
        assertEquals("project", parse("functions: {}").name());
        assertEquals("my-shop_2", SpecReader.parse("functions: {}", "hearth.yaml", "my shop_2").name());
        assertEquals("give the spec a 'name' (its folder's name cannot be one)",
                assertThrows(CliException.class, () -> SpecReader.parse("functions: {}", "s.yaml", "…")).getMessage()
                        .replace("s.yaml: ", ""));
    }

    @Test
    void unknownFields_areNamedByTheirPathAndLine() {
        assertEquals("hearth.yaml: unknown field 'functions.hello.memroyMb' (line 4); did you mean 'memoryMb'?",
                refusal("functions:\n  hello:\n    code: ./hello\n    memroyMb: 128\n"));
        assertEquals("hearth.yaml: unknown field 'routes[1].methd' (line 5); did you mean 'method'?",
                refusal("functions: {f: {code: ./f}}\nroutes:\n  - {method: GET, path: /a, function: f, auth: none}\n"
                        + "  -\n    methd: GET\n"));
        assertEquals("hearth.yaml: unknown field 'version' (line 1)", refusal("version: 2\nfunctions: {}\n"));
        assertEquals("hearth.yaml: unknown field 'functions.f.aliases.prod.target' (line 1)",
                refusal("functions: {f: {code: ./f, aliases: {prod: {target: 1}}}}"));
        assertEquals("hearth.yaml: unknown field 'functions.f.url.cors.origins' (line 1)",
                refusal("functions: {f: {code: ./f, url: {auth: none, cors: {origins: []}}}}"));
    }

    @Test
    void valuesOfTheWrongKind_syntaxAndRepeats_areRefusedWithTheirLine() {
        assertEquals("hearth.yaml: functions.f.memoryMb must be a whole number, got 'lots' (line 3)",
                refusal("functions:\n  f:\n    memoryMb: lots\n    code: ./f\n"));
        assertEquals("hearth.yaml: functions.f.memoryMb must be a whole number, got '128.5' (line 1)",
                refusal("functions: {f: {code: ./f, memoryMb: 128.5}}"));
        assertEquals("hearth.yaml: functions must be a mapping (key: value lines) (line 1)", refusal("functions: [a, b]"));
        assertEquals("hearth.yaml: routes must be a list (line 2)", refusal("functions: {}\nroutes: {a: b}\n"));
        assertEquals("hearth.yaml: functions.f.url.cors.allowCredentials must be true or false, got 'sometimes' (line 1)",
                refusal("functions: {f: {code: ./f, url: {auth: none, cors: {allowCredentials: sometimes}}}}"));
        assertEquals("hearth.yaml: must be a mapping with 'functions' (and optionally 'name' and 'routes') (line 1)",
                refusal("- a\n- b\n"));
        assertEquals("hearth.yaml: 'functions.f.code' is given twice (line 4)", refusal("functions:\n  f:\n    code: ./a\n    code: ./b\n"));
        assertEquals("hearth.yaml: 'routes[0].path' is given twice (line 2)", refusal("functions: {}\nroutes: [{path: /a, path: /b}]"));
        String syntax = refusal("functions:\n  f: {code: ./f\n");
        assertEquals(true, syntax.startsWith("hearth.yaml: not valid YAML: "), syntax);
        assertEquals(true, syntax.matches(".*\\(line \\d+\\)$"), syntax);
        assertEquals("hearth.yaml is empty: a spec names its functions under 'functions'", refusal(""));
        assertEquals("hearth.yaml: 'functions' is required: the functions the spec declares, by name", refusal("name: x\n"));
    }

    @Test
    void functions_needCodeOrAnImage_andSettingsInTheApisBounds() {
        assertEquals("hearth.yaml: functions.f needs 'code' (a folder or file) or 'image' and 'contract' (line 2)",
                refusal("functions:\n  f:\n"));
        assertEquals("hearth.yaml: functions.f needs 'code' (a folder or file, relative to the spec) or 'image' and 'contract' (line 1)",
                refusal("functions: {f: {runtime: python}}"));
        assertEquals("hearth.yaml: functions.bad!name is not a function name: 1-64 letters, digits, '_' or '-', starting with a letter or digit (line 1)",
                refusal("functions: {'bad!name': {code: ./f}}"));
        assertEquals("hearth.yaml: functions.f is an image function: it takes 'image' and 'contract', not 'code', 'runtime' or 'handler' (line 1)",
                refusal("functions: {f: {image: x, contract: http, code: ./f}}"));
        assertEquals("hearth.yaml: functions.f.contract needs 'image' beside it: the Docker image to run (line 1)",
                refusal("functions: {f: {contract: http}}"));
        assertEquals("hearth.yaml: functions.f.image needs 'contract: exec' (a container per call) or 'contract: http' (a server kept warm) (line 1)",
                refusal("functions: {f: {image: x}}"));
        assertEquals("hearth.yaml: functions.f.contract needs 'contract: exec' (a container per call) or 'contract: http' (a server kept warm), got 'grpc' (line 1)",
                refusal("functions: {f: {image: x, contract: grpc}}"));
        assertEquals("hearth.yaml: functions.f.minWarm cannot be set for an 'exec' image: it runs one container per call (line 1)",
                refusal("functions: {f: {image: x, contract: exec, minWarm: 1}}"));
        assertEquals("hearth.yaml: functions.f.memoryMb must be between 64 and 4096, got 32 (line 1)",
                refusal("functions: {f: {code: ./f, memoryMb: 32}}"));
        assertEquals("hearth.yaml: functions.f.timeoutMs must be between 100 and 900000, got 99 (line 1)",
                refusal("functions: {f: {code: ./f, timeoutMs: 99}}"));
        assertEquals("hearth.yaml: functions.f.concurrency must be between 1 and 1000, got 0 (line 1)",
                refusal("functions: {f: {code: ./f, concurrency: 0}}"));
        assertEquals("hearth.yaml: functions.f.minWarm must be between 0 and 10, got 11 (line 1)",
                refusal("functions: {f: {code: ./f, minWarm: 11}}"));
        assertEquals("hearth.yaml: functions.f.network must be 'none' (the default) or 'egress', got 'host' (line 1)",
                refusal("functions: {f: {code: ./f, network: host}}"));
        assertEquals("hearth.yaml: functions.f.description must be at most 256 characters (line 1)",
                refusal("functions: {f: {code: ./f, description: " + "x".repeat(257) + "}}"));
        assertEquals("hearth.yaml: functions.f.env.1A is not an environment variable name: letters, digits and '_', not starting with a digit (line 1)",
                refusal("functions: {f: {code: ./f, env: {1A: x}}}"));
        assertEquals("hearth.yaml: functions.f.env.A needs a value ('' for an empty one) (line 1)",
                refusal("functions: {f: {code: ./f, env: {A: }}}"));
        assertEquals("hearth.yaml: name must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit, got '-x' (line 1)",
                refusal("name: -x\nfunctions: {}\n"));
    }

    @Test
    void labels_followTheServersRules_andTheSpecsMarkIsApplysOwn() {
        assertEquals("hearth.yaml: functions.f.labels.hearth.dev/spec is set by hearth apply itself (the spec's name) (line 1)",
                refusal("functions: {f: {code: ./f, labels: {hearth.dev/spec: other}}}"));
        assertEquals("hearth.yaml: functions.f.labels.Team is not a label key: 1-63 lower-case letters, digits, '.', '/' or '-', starting with a letter or digit (line 1)",
                refusal("functions: {f: {code: ./f, labels: {Team: web}}}"));
        assertEquals("hearth.yaml: functions.f.labels.team must be printable text of at most 256 characters (line 1)",
                refusal("functions: {f: {code: ./f, labels: {team: " + "x".repeat(257) + "}}}"));
        StringBuilder many = new StringBuilder("functions: {f: {code: ./f, labels: {");
        for (int i = 0; i < 16; i++) {
            many.append(i == 0 ? "" : ", ").append("k").append(i).append(": v");
        }
        assertEquals("hearth.yaml: functions.f.labels may hold 15 labels at most (Hearth keeps 16 and apply sets hearth.dev/spec) (line 1)",
                refusal(many + "}}}"));
    }

    @Test
    void aliases_needAVersionOrLatest_andOneWeightedVersionAtMost() {
        assertEquals("hearth.yaml: functions.f.aliases.prod needs a version: a version number, or 'latest' (line 1)",
                refusal("functions: {f: {code: ./f, aliases: {prod: {}}}}"));
        assertEquals("hearth.yaml: functions.f.aliases.prod.version must be a version number (1 or more) or 'latest', got 'newest' (line 1)",
                refusal("functions: {f: {code: ./f, aliases: {prod: {version: newest}}}}"));
        assertEquals("hearth.yaml: functions.f.aliases.prod.version must be a version number (1 or more) or 'latest', got '0' (line 1)",
                refusal("functions: {f: {code: ./f, aliases: {prod: {version: 0}}}}"));
        assertEquals("hearth.yaml: functions.f.aliases.123 is not an alias name: 1-128 letters, digits, '-' and '_', not all digits (line 1)",
                refusal("functions: {f: {code: ./f, aliases: {'123': {version: 1}}}}"));
        assertEquals("hearth.yaml: functions.f.aliases.prod.weights may name one other version at most (line 1)",
                refusal("functions: {f: {code: ./f, aliases: {prod: {version: 1, weights: {'2': 0.1, '3': 0.1}}}}}"));
        assertEquals("hearth.yaml: functions.f.aliases.prod.weights must be above 0 and below 1, got 1.0 (line 1)",
                refusal("functions: {f: {code: ./f, aliases: {prod: {version: 1, weights: {'2': 1}}}}}"));
        assertEquals("hearth.yaml: functions.f.aliases.prod.weights must name a version other than the alias's own (1) (line 1)",
                refusal("functions: {f: {code: ./f, aliases: {prod: {version: 1, weights: {'1': 0.5}}}}}"));
        assertEquals("hearth.yaml: functions.f.aliases.prod.weights must be a version number (1 or more) or 'latest', got 'x' (line 1)",
                refusal("functions: {f: {code: ./f, aliases: {prod: {version: 1, weights: {x: 0.5}}}}}"));
        assertEquals(Map.of("latest", 0.25), parse("functions: {f: {code: ./f, aliases: {prod: {version: 1, weights: {latest: 0.25}}}}}")
                .functions().get("f").aliases().get("prod").weights());
    }

    @Test
    void urlsAndRoutes_needAuth_andQualifiersTheSpecHas() {
        assertEquals("hearth.yaml: functions.f.url needs 'auth: none' (public) or 'auth: token' (the owner's bearer token) (line 1)",
                refusal("functions: {f: {code: ./f, url: {}}}"));
        assertEquals("hearth.yaml: functions.f.url.auth needs 'auth: none' (public) or 'auth: token' (the owner's bearer token), got 'open' (line 1)",
                refusal("functions: {f: {code: ./f, url: {auth: open}}}"));
        assertEquals("hearth.yaml: functions.f.url.qualifier names 'beta', which is not a version number, $LATEST or one of the function's aliases in the spec (prod) (line 1)",
                refusal("functions: {f: {code: ./f, aliases: {prod: {version: 1}}, url: {auth: none, qualifier: beta}}}"));
        assertEquals("hearth.yaml: functions.f.url.cors.maxAge must be 0 to 86400 seconds, got 86401 (line 1)",
                refusal("functions: {f: {code: ./f, url: {auth: none, cors: {maxAge: 86401}}}}"));
        assertEquals("hearth.yaml: functions.f.url.cors.allowCredentials cannot be true with the origin '*': list the origins instead (line 1)",
                refusal("functions: {f: {code: ./f, url: {auth: none, cors: {allowOrigins: ['*'], allowCredentials: true}}}}"));
        String f = "functions: {f: {code: ./f}}\nroutes:\n";
        assertEquals("hearth.yaml: routes[0] needs a method: one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY (line 3)",
                refusal(f + "  - {path: /a, function: f, auth: none}\n"));
        assertEquals("hearth.yaml: routes[0].method needs a method: one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY, got 'FETCH' (line 3)",
                refusal(f + "  - {method: FETCH, path: /a, function: f, auth: none}\n"));
        assertEquals("hearth.yaml: routes[0].path needs a path starting with '/', such as /hello/{name} (line 3)",
                refusal(f + "  - {method: GET, path: a, function: f, auth: none}\n"));
        assertEquals("hearth.yaml: routes[0] needs 'function': one of the spec's functions (line 3)",
                refusal(f + "  - {method: GET, path: /a, auth: none}\n"));
        assertEquals("hearth.yaml: routes[0].function names 'g', which the spec does not declare (a spec routes to its own functions) (line 3)",
                refusal(f + "  - {method: GET, path: /a, function: g, auth: none}\n"));
        assertEquals("hearth.yaml: routes[0] needs 'auth: none' (public) or 'auth: token' (the owner's bearer token) (line 3)",
                refusal(f + "  - {method: GET, path: /a, function: f}\n"));
        assertEquals("hearth.yaml: routes[1] repeats the route GET /a (line 4)",
                refusal(f + "  - {method: GET, path: /a, function: f, auth: none}\n  - {method: get, path: /a, function: f, auth: token}\n"));
        assertEquals("hearth.yaml: routes[0] needs method, path, function and auth (line 3)", refusal(f + "  - \n"));
        assertEquals("2", parse(f + "  - {method: GET, path: /a, function: f, auth: none, qualifier: 2}\n").routes().get(0).qualifier(),
                "a version number needs no alias");
    }

    @Test
    void read_namesTheFileAsGiven_andRefusesWhatIsNotASpecFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("hearth.yaml");
        Files.writeString(file, "functions: {f: {code: ./f}}\n");
        SpecReader.Read read = SpecReader.read(file, "hearth.yaml");
        assertEquals(dir.getFileName().toString().replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[^A-Za-z0-9]+", ""),
                read.spec().name());
        assertEquals(dir.toAbsolutePath().normalize(), read.folder());
        assertEquals("missing.yaml: no such file",
                assertThrows(CliException.class, () -> SpecReader.read(dir.resolve("missing.yaml"), "missing.yaml")).getMessage());
        assertEquals("d is a folder: give the spec file (-f d/hearth.yaml)",
                assertThrows(CliException.class, () -> SpecReader.read(dir, "d")).getMessage());
        Files.write(dir.resolve("latin1.yaml"), new byte[] {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xe9, '\n'});
        assertEquals("latin1.yaml is not UTF-8 text",
                assertThrows(CliException.class, () -> SpecReader.read(dir.resolve("latin1.yaml"), "latin1.yaml")).getMessage());
    }

    @Test
    void aSpecLinkedToAnEndlessFile_isRefused_notReadToTheHeapsEnd(@TempDir Path dir) throws java.io.IOException {
        Path spec = Files.createSymbolicLink(dir.resolve("hearth.yaml"), Path.of("/dev/zero"));
        CliException e = assertThrows(CliException.class, () -> SpecReader.read(spec, "hearth.yaml"));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("is over"), e.getMessage());
    }
}
