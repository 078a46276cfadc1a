package dev.hearth.cli.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.cli.CliException;
import dev.hearth.cli.ExitCode;
import dev.hearth.cli.HearthApi;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Plans computed against literal server answers: no server, no files. */
class PlannerTest {

    static final String SPEC = """
            name: shop
            functions:
              hello:
                code: ./hello
                memoryMb: 256
                env: {GREETING: hi}
                aliases:
                  prod: {version: latest}
                url: {auth: none}
              resizer:
                image: hearth/example-http
                contract: http
            routes:
              - {method: GET, path: "/hello/{name}", function: hello, qualifier: prod, auth: none}
            """;

    static final String HELLO_SHA = "a".repeat(64);

    static JsonNode json(String text) {
        try {
            return HearthApi.JSON.readTree(text.replace('\'', '"'));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The spec's functions with hello's code resolved to {@code sha} (python, main.handler). */
    static List<Desired> desired(Spec spec, String sha) {
        List<Desired> desired = new ArrayList<>();
        spec.functions().forEach((name, f) -> desired.add(new Desired(name, f, f.imageFunction()
                ? new Desired.Image(f.image(), f.contract())
                : new Desired.Source("python", "main.handler", sha, false))));
        return desired;
    }

    /** hello as the server shows it once this spec was applied at version {@code version}. */
    static ObjectNode hello(long version, String sha) {
        return (ObjectNode) json("{'name':'hello','runtime':'python','lambdaRuntime':'python3.13','handler':'main.handler',"
                + "'status':'ready','version':" + version + ",'memoryMb':256,'timeoutMs':3000,'env':{'GREETING':'hi'},"
                + "'network':'none','sourceSha256':'" + sha + "','codeSha256':'" + sha + "','labels':{'hearth.dev/spec':'shop'}}");
    }

    static ObjectNode resizer() {
        return (ObjectNode) json("{'name':'resizer','image':'hearth/example-http','contract':'http','status':'ready','version':1,"
                + "'memoryMb':128,'timeoutMs':3000,'env':{},'network':'none','labels':{'hearth.dev/spec':'shop'}}");
    }

    static JsonNode alias(String name, long version) {
        return json("{'name':'" + name + "','version':" + version + ",'weights':{},'updatedAt':'2026-01-01T00:00:00Z'}");
    }

    static JsonNode route(String id, String method, String path, String function, String qualifier, String auth) {
        return json("{'id':'" + id + "','method':'" + method + "','path':'" + path + "','function':'" + function + "',"
                + (qualifier == null ? "" : "'qualifier':'" + qualifier + "',") + "'auth':'" + auth + "'}");
    }

    static final JsonNode URL = json("{'url':'http://h/fn/x/','function':'hello','auth':'none'}");

    /** Everything exactly as the spec says. */
    static Existing applied(JsonNode hello, long prodVersion) {
        Map<String, Existing.Remote> functions = new LinkedHashMap<>();
        functions.put("hello", new Existing.Remote(hello, Map.of("prod", alias("prod", prodVersion)), URL));
        functions.put("resizer", new Existing.Remote(resizer(), Map.of(), null));
        return new Existing(functions, List.of(route("r1", "GET", "/hello/{name}", "hello", "prod", "none")));
    }

    static Plan plan(String specText, String sha, Existing existing, boolean prune) {
        Spec spec = SpecReader.parse(specText, "hearth.yaml", "x");
        return Planner.plan(spec.name(), desired(spec, sha), spec.routes(), existing, prune);
    }

    @Test
    void nothingExists_everythingIsCreated_functionsFirst() {
        Plan plan = plan(SPEC, HELLO_SHA, new Existing(Map.of(), List.of()), false);
        assertEquals(List.of(
                "+ function hello (python)",
                "+ function resizer (image hearth/example-http, http)",
                "+ alias hello:prod → v1",
                "+ route GET /hello/{name} → hello:prod (auth none)",
                "+ url hello (auth none)"), plan.lines());
        assertEquals("5 to create, 0 to change, 0 to delete", plan.summary());
    }

    @Test
    void everythingAsTheSpecSays_nothingToChange() {
        Plan plan = plan(SPEC, HELLO_SHA, applied(hello(1, HELLO_SHA), 1), true);
        assertTrue(plan.isEmpty(), () -> String.join("\n", plan.lines()));
        assertEquals(List.of("nothing to change"), plan.lines());
        assertEquals(List.of(), plan.notes());
    }

    @Test
    void codeAndAVersionSetting_makeANewVersion_andLatestAliasesFollowIt() {
        ObjectNode was = hello(3, "b".repeat(64)).put("memoryMb", 128);
        was.putObject("update").put("version", 4).put("status", "failed");
        Plan plan = plan(SPEC, HELLO_SHA, applied(was, 3), false);
        assertEquals(List.of("~ function hello: code changed, memoryMb 128 → 256", "~ alias hello:prod: v3 → v5"), plan.lines(),
                "the new version comes after the failed pending one");
        var change = (Change.FunctionChange) plan.changes().get(0);
        assertTrue(change.newVersion());
        assertEquals(5, change.expectedVersion());
    }

    @Test
    void whatBelongsToTheFunction_isPatched_withNoNewVersion() {
        String spec = SPEC.replace("memoryMb: 256", "memoryMb: 256\n    concurrency: 5\n    minWarm: 1\n    labels: {team: web}");
        Plan plan = plan(spec, HELLO_SHA, applied(hello(1, HELLO_SHA), 1), false);
        assertEquals(List.of("~ function hello: concurrency none → 5, minWarm 0 → 1, labels +team=web (no new version)"), plan.lines());
        assertEquals(false, ((Change.FunctionChange) plan.changes().get(0)).newVersion());
    }

    @Test
    void everyVersionSetting_isComparedByValue_andEnvValuesAreNeverShown() {
        ObjectNode was = hello(1, HELLO_SHA).put("handler", "app.handler").put("runtime", "node").put("lambdaRuntime", "nodejs20.x")
                .put("timeoutMs", 5000).put("network", "egress").put("description", "old");
        was.putObject("env").put("GREETING", "hello").put("SECRET", "s3cr3t");
        Plan plan = plan(SPEC, HELLO_SHA, applied(was, 1), false);
        assertEquals(List.of("~ function hello: runtime node → python, handler app.handler → main.handler, timeoutMs 5000 → 3000, "
                + "network egress → none, env ~GREETING -SECRET, description removed", "~ alias hello:prod: v1 → v2"), plan.lines());
        assertTrue(plan.lines().stream().noneMatch(l -> l.contains("s3cr3t")));
    }

    @Test
    void aLambdaRuntimeIdentifier_matchesTheRuntimeItNames() {
        Spec spec = SpecReader.parse(SPEC, "hearth.yaml", "x");
        List<Desired> desired = new ArrayList<>();
        spec.functions().forEach((name, f) -> desired.add(new Desired(name, f, f.imageFunction()
                ? new Desired.Image(f.image(), f.contract()) : new Desired.Source("python3.13", "main.handler", HELLO_SHA, false))));
        assertTrue(Planner.plan("shop", desired, spec.routes(), applied(hello(1, HELLO_SHA), 1), false).isEmpty());
    }

    @Test
    void aFunctionNotReady_isDefinedAgain() {
        Plan plan = plan(SPEC, HELLO_SHA, applied(hello(1, HELLO_SHA).put("status", "failed"), 1), false);
        assertEquals("~ function hello: its version 1 is failed", plan.lines().get(0));
    }

    @Test
    void aFunctionWithNoMark_isAdopted_andAnotherSpecsIsRefused() {
        ObjectNode unmarked = hello(1, HELLO_SHA);
        unmarked.putObject("labels");
        Plan plan = plan(SPEC, HELLO_SHA, applied(unmarked, 1), false);
        assertEquals(List.of("~ function hello: labels +hearth.dev/spec=shop (no new version)"), plan.lines());
        assertEquals(List.of("hello exists without a spec's mark: this spec adopts it"), plan.notes());

        ObjectNode theirs = hello(1, HELLO_SHA);
        theirs.putObject("labels").put("hearth.dev/spec", "other");
        CliException e = assertThrows(CliException.class, () -> plan(SPEC, HELLO_SHA, applied(theirs, 1), false));
        assertEquals(ExitCode.CONFLICT, e.exitCode());
        assertEquals("function 'hello' belongs to spec 'other' (its hearth.dev/spec label): take it out of one of the two specs, "
                + "or delete it first", e.getMessage());
    }

    @Test
    void prune_deletesOnlyThisSpecsFunctionsTheSpecNoLongerNames() {
        Existing base = applied(hello(1, HELLO_SHA), 1);
        Map<String, Existing.Remote> functions = new LinkedHashMap<>(base.functions());
        ObjectNode old = resizer().put("name", "old");
        functions.put("old", new Existing.Remote(old, Map.of(), null));
        ObjectNode manual = resizer().put("name", "manual");
        manual.putObject("labels");
        functions.put("manual", new Existing.Remote(manual, Map.of(), null));
        ObjectNode others = resizer().put("name", "others");
        others.putObject("labels").put("hearth.dev/spec", "other");
        functions.put("others", new Existing.Remote(others, Map.of(), null));
        List<JsonNode> routes = new ArrayList<>(base.routes());
        routes.add(route("r2", "GET", "/old", "old", null, "none"));
        Existing existing = new Existing(functions, routes);

        Plan pruned = plan(SPEC, HELLO_SHA, existing, true);
        assertEquals(List.of("- function old (with its aliases, routes and URL)"), pruned.lines(),
                "the route to 'old' goes with it; 'manual' and 'others' are not this spec's");
        Plan kept = plan(SPEC, HELLO_SHA, existing, false);
        assertTrue(kept.isEmpty());
        assertEquals(List.of("no longer in the spec, kept: old ('hearth apply --prune' deletes it)"), kept.notes());
    }

    @Test
    void routesToTheSpecsFunctions_becomeTheSpecs_andOthersAreLeftAlone() {
        Existing base = applied(hello(1, HELLO_SHA), 1);
        Map<String, Existing.Remote> functions = new LinkedHashMap<>(base.functions());
        functions.put("manual", new Existing.Remote(resizer().put("name", "manual"), Map.of(), null));
        List<JsonNode> routes = List.of(
                route("r1", "GET", "/hello/{who}", "hello", null, "token"),
                route("r2", "POST", "/stale", "hello", null, "none"),
                route("r3", "GET", "/manual", "manual", null, "none"));
        String spec = SPEC + "  - {method: GET, path: /resize, function: resizer, auth: token}\n";
        Plan plan = plan(spec, HELLO_SHA, new Existing(functions, routes), false);
        assertEquals(List.of(
                "- route POST /stale",
                "~ route GET /hello/{name}: path /hello/{who} → /hello/{name}, qualifier none → prod, auth token → none",
                "+ route GET /resize → resizer (auth token)"), plan.lines(),
                "the same route shape (parameter names aside) is replaced, after deletions; GET /manual is not the spec's");
        var replaced = (Change.RouteChange) plan.changes().get(1);
        assertEquals("r1", replaced.existing().path("id").asText(), "replacing deletes the old one");
    }

    @Test
    void aliasesAndUrls_areTheSpecs_whollyAndOnly() {
        Existing base = applied(hello(2, HELLO_SHA), 1);
        Map<String, Existing.Remote> functions = new LinkedHashMap<>(base.functions());
        JsonNode weighted = json("{'name':'beta','version':1,'weights':{'2':0.25},'description':'try','updatedAt':'x'}");
        JsonNode url = json("{'url':'u','function':'hello','auth':'token','cors':{'allowOrigins':['https://a.example'],"
                + "'allowMethods':[],'allowHeaders':[],'exposeHeaders':[],'maxAge':0,'allowCredentials':false}}");
        functions.put("hello", new Existing.Remote(hello(2, HELLO_SHA), Map.of("prod", alias("prod", 1), "beta", weighted), url));
        String spec = SPEC.replace("prod: {version: latest}", "prod: {version: latest}\n      canary: {version: 1, weights: {latest: 0.1}}");
        Plan plan = plan(spec, HELLO_SHA, new Existing(functions, base.routes()), false);
        assertEquals(List.of(
                "+ alias hello:canary → v1 (10% to v2)",
                "~ alias hello:prod: v1 → v2",
                "~ url hello: auth token → none, cors removed",
                "- alias hello:beta"), plan.lines(), "an alias dropped is deleted after the routes and URL that might name it moved");
        Plan noUrl = plan(SPEC.replace("    url: {auth: none}\n", ""), HELLO_SHA, applied(hello(1, HELLO_SHA), 1), false);
        assertEquals(List.of("- url hello"), noUrl.lines());
    }

    @Test
    void corsAsTheServerNormalisedIt_isNoChange() {
        String spec = SPEC.replace("url: {auth: none}", "url: {auth: none, cors: {allowOrigins: ['https://A.example'], allowMethods: [get]}}");
        Existing base = applied(hello(1, HELLO_SHA), 1);
        Map<String, Existing.Remote> functions = new LinkedHashMap<>(base.functions());
        JsonNode url = json("{'url':'u','function':'hello','auth':'none','cors':{'allowOrigins':['https://a.example'],"
                + "'allowMethods':['GET'],'allowHeaders':[],'exposeHeaders':[],'maxAge':0,'allowCredentials':false}}");
        functions.put("hello", new Existing.Remote(hello(1, HELLO_SHA), Map.of("prod", alias("prod", 1)), url));
        assertTrue(plan(spec, HELLO_SHA, new Existing(functions, base.routes()), false).isEmpty());
    }

    @Test
    void json_listsEachChangeWithItsLine() {
        Plan plan = plan(SPEC, HELLO_SHA, new Existing(Map.of(), List.of()), false);
        JsonNode json = plan.json();
        assertEquals("shop", json.path("spec").asText());
        assertEquals("create", json.path("changes").get(0).path("action").asText());
        assertEquals("function", json.path("changes").get(0).path("kind").asText());
        assertEquals("+ function hello (python)", json.path("changes").get(0).path("line").asText());
        assertEquals("alias", json.path("changes").get(2).path("kind").asText());
    }

    @Test
    void export_keepsTextThatLooksLikeAnotherKindAsText() {
        ObjectNode hello = hello(1, HELLO_SHA);
        hello.putObject("env").put("GREETING", "hi").put("ZIP", "007").put("FLAG", "yes").put("NONE", "null").put("EMPTY", "")
                .put("TRUE", "true").put("HASH", "#x").put("COLON", "a: b").put("MULTI", "one\ntwo");
        hello.putObject("labels").put("hearth.dev/spec", "shop").put("team", "on");
        Existing existing = applied(hello, 1);
        Spec read = SpecReader.parse(Exporter.yaml(Exporter.export(existing, List.of("hello")), "e"), "exported.yaml", "x");
        assertEquals(FunctionDiff.strings(hello.path("env")), read.functions().get("hello").env());
        assertEquals(Map.of("team", "on"), read.functions().get("hello").labels());
    }

    @Test
    void export_readBack_plansNothing() {
        Existing existing = applied(hello(1, HELLO_SHA), 1);
        Spec exported = Exporter.export(existing, List.of("hello", "resizer"));
        String yaml = Exporter.yaml(exported, "http://localhost:8080");
        assertTrue(yaml.startsWith("# Exported by 'hearth export' from http://localhost:8080.\n"), yaml);
        assertTrue(yaml.contains("code: ./hello"), yaml);
        Spec read = SpecReader.parse(yaml, "exported.yaml", "elsewhere");
        assertEquals("shop", read.name(), "the functions' own spec");
        assertEquals("prod", read.routes().get(0).qualifier());
        List<Desired> desired = desired(read, HELLO_SHA);
        Plan plan = Planner.plan(read.name(), desired, read.routes(), existing, true);
        assertTrue(plan.isEmpty(), () -> yaml + "\n" + String.join("\n", plan.lines()));
    }
}
