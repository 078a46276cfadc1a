package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every caller mistake gets a JSON error with an honest 4xx, and nothing breaks. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIntegrationTest {

    @RegisterExtension
    static HearthExtension hearth = HearthExtension.started();
    Api api;
    String token;
    /** Hearth's data folder: no answer may show it. */
    Path data;

    @BeforeAll
    void start() {
        data = hearth.data();
        api = hearth.api();
        token = api.userWithToken("carol");
    }

    private void assertError(int status, String type, Api.Reply reply) {
        assertEquals(status, reply.status(), reply::toString);
        assertEquals(type, reply.errorType(), reply::toString);
        assertFalse(reply.json().get("error").get("message").asText().isBlank());
        assertEquals("application/json", reply.header("Content-Type"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad name", "-leading", "has/slash", "dots.here", "ünïcode",
            "a2345678901234567890123456789012345678901234567890123456789012345"})
    void create_withBadName_is400(String name) {
        assertError(400, "bad_request", api.post("/v1/functions", token, Api.pythonSource(name, "def handler(e, c): pass\n")));
    }

    @Test
    void create_withBadFields_is400() {
        ObjectNode noRuntime = Api.pythonSource("f1", "def handler(e, c): pass\n");
        noRuntime.remove("runtime");
        assertError(400, "bad_request", api.post("/v1/functions", token, noRuntime));
        assertError(400, "bad_request", api.post("/v1/functions", token, Api.pythonSource("f1", "x").put("runtime", "cobol")));
        assertError(400, "bad_request", api.post("/v1/functions", token, Api.pythonSource("f1", "x").put("handler", "nodot")));
        assertError(400, "bad_request", api.post("/v1/functions", token, Api.pythonSource("f1", "x").put("handler", "other.handler")));
        assertError(400, "bad_request", api.post("/v1/functions", token, Api.pythonSource("f1", "x").put("runtime", "node")));
        assertError(400, "bad_request", api.post("/v1/functions", token,
                Api.source("f1", "java", "example.Other", "Hello.java", "class Hello {}")));
        assertError(400, "bad_request", api.post("/v1/functions", token,
                Api.source("f1", "java", null, "Hello.java", "class Hello {}")));
        assertError(400, "bad_request", api.post("/v1/functions", token, Api.pythonSource("f1", "x").put("memoryMb", 1)));
        assertError(400, "bad_request", api.post("/v1/functions", token, Api.pythonSource("f1", "x").put("timeoutMs", 0)));
        assertError(400, "bad_request", api.post("/v1/functions", token, Api.pythonSource("f1", "x").put("tiemout", 5)));
        ObjectNode both = Api.pythonSource("f1", "x").put("archive", "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==");
        assertError(400, "bad_request", api.post("/v1/functions", token, both));
        ObjectNode badEnv = Api.pythonSource("f1", "x");
        badEnv.putObject("env").put("1BAD", "v");
        assertError(400, "bad_request", api.post("/v1/functions", token, badEnv));
        ObjectNode traversal = Api.pythonSource("f1", "x");
        ((ObjectNode) traversal.get("source")).put("filename", "../main.py");
        assertError(400, "bad_request", api.post("/v1/functions", token, traversal));
    }

    @Test
    void create_withMalformedJson_is400() {
        assertError(400, "bad_request", api.send("POST", "/v1/functions", token, "{\"name\":".getBytes(StandardCharsets.UTF_8)));
        assertError(400, "bad_request", api.send("POST", "/v1/functions", token, "[]".getBytes(StandardCharsets.UTF_8)));
        assertError(400, "bad_request", api.send("POST", "/v1/functions", token, new byte[0]));
    }

    @Test
    void create_withHostileArchives_isRefused() {
        ObjectNode notBase64 = Api.pythonSource("f2", "x");
        notBase64.remove("source");
        notBase64.put("archive", "%%% not base64 %%%");
        assertError(400, "bad_request", api.post("/v1/functions", token, notBase64));

        ObjectNode notZip = Api.pythonSource("f2", "x");
        notZip.remove("source");
        notZip.put("archive", Base64.getEncoder().encodeToString("just text".getBytes(StandardCharsets.UTF_8)));
        assertError(400, "bad_request", api.post("/v1/functions", token, notZip));

        Api.Reply escaping = api.post("/v1/functions", token, Api.pythonArchive("f2",
                Map.of("main.py", "def handler(e, c): pass\n", "../../etc/evil.py", "x = 1\n")));
        assertError(400, "bad_request", escaping);
        assertTrue(escaping.json().get("error").get("message").asText().contains("unsafe entry name"));

        Api.Reply absolute = api.post("/v1/functions", token, Api.pythonArchive("f2",
                Map.of("main.py", "def handler(e, c): pass\n", "/etc/evil.py", "x = 1\n")));
        assertError(400, "bad_request", absolute);

        // 300 MiB of zeros deflate to a few hundred KiB: refused while inflating, not after.
        Api.Reply bomb = api.post("/v1/functions", token, Api.pythonArchive("f2",
                Map.of("main.py", "def handler(e, c): pass\n", "zeros.bin", "\0".repeat(300 * 1024 * 1024))));
        assertError(413, "too_large", bomb);
    }

    @Test
    void auth_missingOrWrong_is401() {
        assertError(401, "unauthorized", api.get("/v1/functions", null));
        assertError(401, "unauthorized", api.get("/v1/functions", "hth_not-a-real-token"));
        assertError(401, "unauthorized", api.invoke("hth_nope", "anything", "{}"));
        assertError(401, "unauthorized", api.post("/v1/tokens", null, Map.of("username", "carol", "password", "wrong password")));
        assertError(401, "unauthorized", api.post("/v1/tokens", null, Map.of("username", "nobody", "password", "whatever123")));
    }

    @Test
    void users_badOrDuplicate_areRefused() {
        assertError(400, "bad_request", api.post("/v1/users", null, Map.of("username", "x", "password", "long enough")));
        assertError(400, "bad_request", api.post("/v1/users", null, Map.of("username", "dave", "password", "short")));
        assertError(400, "bad_request", api.post("/v1/users", null, Map.of("username", "dave", "password", "p".repeat(80))));
        assertError(409, "conflict", api.post("/v1/users", null, Map.of("username", "carol", "password", "another password")));
    }

    @Test
    void unknownPaths_andMethods_areJson404And405() {
        assertError(404, "not_found", api.get("/v1/nothing", token));
        assertError(404, "not_found", api.invoke(token, "missing", "{}"));
        assertError(405, "method_not_allowed", api.send("PATCH", "/v1/functions", token, new byte[0]));
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=0", "limit=1001", "limit=ten", "limit=", "after=has%2Fslash", "after=", "after=-x"})
    void listing_withABadPage_is400(String query) {
        assertError(400, "bad_request", api.get("/v1/functions?" + query, token));
    }

    @Test
    void listing_byPages_followsNext_throughTheCallersFunctionsOnly() {
        String pager = api.userWithToken("pager");
        for (String name : List.of("p-c", "p-a", "p-b")) {
            assertEquals(201, api.post("/v1/functions", pager, Api.pythonSource(name, "def handler(e, c): pass\n")).status());
        }
        Api.Reply first = api.get("/v1/functions?limit=2", pager);
        assertEquals(200, first.status(), first::toString);
        assertEquals(List.of("p-a", "p-b"), names(first));
        assertEquals("p-b", first.json().get("next").asText());
        Api.Reply second = api.get("/v1/functions?limit=2&after=p-b", pager);
        assertEquals(List.of("p-c"), names(second));
        assertFalse(second.json().has("next"), second::toString);
        assertEquals(List.of("p-a", "p-b", "p-c"), names(api.get("/v1/functions", pager)));
    }

    private static List<String> names(Api.Reply listed) {
        List<String> names = new ArrayList<>();
        listed.json().get("functions").forEach(f -> names.add(f.get("name").asText()));
        return names;
    }

    @Test
    void oversizedEvent_is413() {
        assertEquals(201, api.post("/v1/functions", token, Api.pythonSource("big", "def handler(e, c):\n    return len(e)\n")).status());
        assertError(413, "too_large", api.invoke(token, "big", "\"" + "x".repeat(7 * 1024 * 1024) + "\""));
    }

    private void assertNoInternals(Api.Reply reply) {
        for (String internal : java.util.List.of("dev.hearth", "java.", "com.fasterxml", "`", "/tmp/", data.toString())) {
            assertFalse(reply.text().contains(internal), () -> "'" + internal + "' in " + reply);
        }
    }

    private Api.Reply raw(String method, String path, String json) {
        return api.send(method, path, token, json.getBytes(StandardCharsets.UTF_8));
    }

    /** Each of these was taken with 201 and then failed every call (502/503), costing a container each time. */
    @ParameterizedTest
    @ValueSource(strings = {"env-nul", "env-surrogate", "env-equals", "file-and-folder", "folder-then-file", "long-segment", "deep"})
    void createAndPut_withInputsThatWouldFailEveryCall_are400(String kind) {
        String code = "def handler(e, c):\n    return e\n";
        ObjectNode body = switch (kind) {
            case "file-and-folder" -> Api.pythonArchive("doomed", ordered("main.py", code, "a", "1", "a/b", "2"));
            case "folder-then-file" -> Api.pythonArchive("doomed", ordered("main.py", code, "lib/x/y.py", "1", "lib/x", "2"));
            case "long-segment" -> Api.pythonArchive("doomed", ordered("main.py", code, "p/" + "x".repeat(256) + ".py", "1"));
            case "deep" -> Api.pythonArchive("doomed", ordered("main.py", code, "a/".repeat(2100) + "b.py", "1"));
            case "env-equals" -> {
                ObjectNode b = Api.pythonSource("doomed", code);
                b.putObject("env").put("A=B", "v");
                yield b;
            }
            default -> Api.pythonSource("doomed", code);
        };
        String json = body.toString();
        if (kind.equals("env-nul")) {
            json = json.replaceFirst("\\{", "{\"env\":{\"GREETING\":\"hi\\\\u0000there\"},");
        } else if (kind.equals("env-surrogate")) {
            json = json.replaceFirst("\\{", "{\"env\":{\"GREETING\":\"hi\\\\ud800\"},");
        }
        Api.Reply created = raw("POST", "/v1/functions", json);
        assertError(400, "bad_request", created);
        assertNoInternals(created);
        assertEquals(404, api.get("/v1/functions/doomed", token).status(), "nothing was stored");

        assertEquals(201, api.post("/v1/functions", token, Api.pythonSource("kept-" + kind.length(), code)).status());
        Api.Reply replaced = raw("PUT", "/v1/functions/kept-" + kind.length(), json.replace("\"doomed\"", "\"kept-" + kind.length() + "\""));
        assertError(400, "bad_request", replaced);
        assertNoInternals(replaced);
        api.delete("/v1/functions/kept-" + kind.length(), token);
    }

    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> files = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            files.put(pairs[i], pairs[i + 1]);
        }
        return files;
    }

    /** Jackson used to turn "100" and 100.7 into 100, and 42 into "42"; its own messages named Hearth's classes. */
    @ParameterizedTest
    @ValueSource(strings = {
            "POST /v1/functions {\"name\":\"t\",\"runtime\":\"python\",\"source\":{\"filename\":\"main.py\",\"content\":\"x\"},\"timeoutMs\":\"100\"}|timeoutMs",
            "POST /v1/functions {\"name\":\"t\",\"runtime\":\"python\",\"source\":{\"filename\":\"main.py\",\"content\":\"x\"},\"timeoutMs\":100.7}|timeoutMs",
            "POST /v1/functions {\"name\":\"t\",\"runtime\":\"python\",\"source\":{\"filename\":\"main.py\",\"content\":\"x\"},\"memoryMb\":true}|memoryMb",
            "POST /v1/functions {\"name\":42,\"runtime\":\"python\",\"source\":{\"filename\":\"main.py\",\"content\":\"x\"}}|name",
            "POST /v1/functions {\"name\":\"t\",\"runtime\":\"python\",\"handler\":{},\"source\":{\"filename\":\"main.py\",\"content\":\"x\"}}|handler",
            "POST /v1/functions {\"name\":\"t\",\"runtime\":[\"python\"],\"source\":{\"filename\":\"main.py\",\"content\":\"x\"}}|runtime",
            "POST /v1/functions {\"name\":\"t\",\"runtime\":\"python\",\"source\":{\"filename\":\"main.py\",\"content\":7}}|source.content",
            "POST /v1/functions {\"name\":\"t\",\"runtime\":\"python\",\"source\":{\"filename\":\"main.py\",\"content\":\"x\"},\"env\":{\"A\":1}}|env.A",
            "PATCH /v1/functions/anything {\"concurrency\":\"2\"}|concurrency",
            "PATCH /v1/functions/anything {\"timeoutMs\":1500.5}|timeoutMs",
            "POST /v1/users {\"username\":12345,\"password\":\"long enough\"}|username",
            "POST /v1/users {\"username\":\"dave\",\"password\":12345678}|password",
            "POST /v1/tokens {\"username\":[],\"password\":\"x\"}|username",
    })
    void wrongKinds_are400_namingTheField_notAClass(String line) {
        String[] parts = line.split(" ", 3);
        String[] bodyAndField = parts[2].split("\\|");
        Api.Reply reply = api.send(parts[0], parts[1], parts[1].startsWith("/v1/functions") ? token : null,
                bodyAndField[0].getBytes(StandardCharsets.UTF_8));
        assertError(400, "bad_request", reply);
        assertTrue(reply.json().get("error").get("message").asText().contains("'" + bodyAndField[1] + "'"), reply::toString);
        assertNoInternals(reply);
    }
}
