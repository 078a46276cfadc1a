package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.Container;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Image functions against real containers: the example images {@code ./hearth} builds
 * ({@code hearth/example-rev}, {@code hearth/example-http}) and small ones built here from them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageFunctionIntegrationTest {

    @RegisterExtension
    static HearthExtension hearth = HearthExtension.warm().with("HEARTH_POOL_PYTHON", "0");
    Api api;
    String token;
    String nodeId;

    @BeforeAll
    void start() {
        nodeId = hearth.nodeId();
        api = hearth.api();
        token = api.userWithToken("iris");
    }

    private List<Container> containersOfKind(String kind) {
        return Docker.containersOf(nodeId).stream().filter(c -> kind.equals(c.getLabels().get("dev.hearth.kind"))).toList();
    }

    @Test
    void exec_reversesStdin_inAContainerPerCall() throws Exception {
        Api.Reply created = api.post("/v1/functions", token, Api.image("rev", "hearth/example-rev", "exec"));
        assertEquals(201, created.status(), created::toString);
        assertEquals("exec", created.json().get("contract").asText());

        Api.Reply reversed = api.invoke(token, "rev", "hello world");
        assertEquals(200, reversed.status(), reversed::toString);
        assertEquals("dlrow olleh", reversed.json().asText(), "the event arrives as JSON on stdin; stdout that is not JSON comes back as a string");
        assertEquals("cold", reversed.header("X-Hearth-Start"));
        assertEquals("\"dlrow olleh\"", api.invoke(token, "rev", "hello world").text(), "every call gets a fresh container");
        assertTrue(Docker.eventually(Duration.ofSeconds(10), () -> containersOfKind("exec").isEmpty()),
                "each exec container is removed after its call");
    }

    @Test
    void exec_nonZeroExit_isAFunctionError_withStderrAsTheLog() throws Exception {
        String image = Docker.buildImage("hearth-test/exec-fail", """
                FROM hearth/example-rev
                ENTRYPOINT ["sh", "-c", "read -r line; echo \\"got $line\\" >&2; printf 'no newline' >&2; exit 3"]
                """);
        assertEquals(201, api.post("/v1/functions", token, Api.image("fails", image, "exec")).status());

        Api.Reply failed = api.invoke(token, "fails", "{\"x\":1}");
        assertEquals(502, failed.status(), failed::toString);
        assertEquals("function_error", failed.errorType());
        assertEquals("Runtime.ExitError", failed.json().get("error").get("errorType").asText());
        assertTrue(failed.json().get("error").get("errorMessage").asText().contains("status 3"));

        JsonNode record = api.record(token, failed);
        String logs = record.get("logs").toString();
        assertTrue(logs.contains("stderr\\tgot {\\\"x\\\":1}"), logs);
        assertTrue(logs.contains("stderr\\tno newline"), "an unfinished last line is kept: " + logs);
    }

    @Test
    void exec_jsonOnStdout_isTheResult_andEnvIsGiven() throws Exception {
        String image = Docker.buildImage("hearth-test/exec-json", """
                FROM hearth/example-rev
                ENTRYPOINT ["sh", "-c", "cat >/dev/null; printf '{\\"greeting\\": \\"%s\\", \\"fn\\": \\"%s\\"}\\\\n' \\"$GREETING\\" \\"$HEARTH_FUNCTION_NAME\\""]
                """);
        var body = Api.image("json-out", image, "exec");
        body.putObject("env").put("GREETING", "hej");
        assertEquals(201, api.post("/v1/functions", token, body).status());

        Api.Reply reply = api.invoke(token, "json-out", "{}");
        assertEquals(200, reply.status(), reply::toString);
        assertEquals("hej", reply.json().get("greeting").asText(), reply::toString);
        assertEquals("json-out", reply.json().get("fn").asText());
    }

    @Test
    void exec_pastItsTimeout_is504_andTheContainerIsGone() throws Exception {
        String image = Docker.buildImage("hearth-test/exec-sleep", """
                FROM hearth/example-rev
                ENTRYPOINT ["sleep", "60"]
                """);
        var body = Api.image("sleeps", image, "exec").put("timeoutMs", 1000);
        assertEquals(201, api.post("/v1/functions", token, body).status());

        long started = System.nanoTime();
        Api.Reply reply = api.invoke(token, "sleeps", "{}");
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertEquals(504, reply.status(), reply::toString);
        assertTrue(tookMs < 5_000, "answered after " + tookMs + " ms");
        assertTrue(Docker.eventually(Duration.ofSeconds(10), () -> containersOfKind("exec").isEmpty()));
    }

    /** Pulling is off for tests (TestHearth), so the daemon never reaches for Docker Hub here. */
    @Test
    void unknownImage_isRefusedWith400_andNothingIsStored() {
        Api.Reply refused = api.post("/v1/functions", token, Api.image("ghost", "hearth-test/does-not-exist:1", "exec"));
        assertEquals(400, refused.status(), refused::toString);
        assertEquals("unknown_image", refused.errorType());
        assertEquals("the image 'hearth-test/does-not-exist:1' is not on this node, and this node pulls no images "
                + "(HEARTH_REGISTRIES is none); build or load the image on the node first",
                refused.json().get("error").get("message").asText());
        assertEquals(404, api.get("/v1/functions/ghost", token).status());
    }

    @Test
    void http_isKeptWarm_andReused_inAHardenedContainer() {
        var body = Api.image("echo", "hearth/example-http", "http");
        body.putObject("env").put("GREETING", "hello");
        assertEquals(201, api.post("/v1/functions", token, body).status());

        Api.Reply first = api.invoke(token, "echo", "{\"n\":1}");
        assertEquals(200, first.status(), first::toString);
        assertEquals("cold", first.header("X-Hearth-Start"));
        assertEquals(1, first.json().get("echo").get("n").asInt());
        assertEquals("hello", first.json().get("greeting").asText());

        Api.Reply second = api.invoke(token, "echo", "{\"n\":2}");
        assertEquals("warm", second.header("X-Hearth-Start"));
        assertEquals(2, second.json().get("calls").asInt(), "the same server answered both calls");
        assertEquals(first.json().get("pid"), second.json().get("pid"));

        JsonNode record = api.record(token, second);
        assertTrue(record.get("logs").toString().contains("echo call 2"), record::toString);

        List<Container> servers = containersOfKind("image");
        assertFalse(servers.isEmpty());
        var inspected = Docker.CLIENT.inspectContainerCmd(servers.get(0).getId()).exec();
        int uid = HearthConfig.DEFAULT_CONTAINER_UID;
        assertEquals(uid + ":" + uid, inspected.getConfig().getUser());
        assertEquals(Boolean.TRUE, inspected.getHostConfig().getReadonlyRootfs());
        assertEquals("none", inspected.getHostConfig().getNetworkMode());
        assertEquals("ALL", inspected.getHostConfig().getCapDrop()[0].name());
    }

    @Test
    void http_withMinWarm_hasAContainerReadyBeforeItsFirstCall() throws Exception {
        var body = Api.image("ready", "hearth/example-http", "http").put("minWarm", 1);
        Api.Reply created = api.post("/v1/functions", token, body);
        assertEquals(201, created.status(), created::toString);
        assertEquals(1, created.json().get("minWarm").asInt());
        assertTrue(Docker.eventually(Duration.ofSeconds(20), () -> hearth.pool().stats().warm() >= 1),
                "a container is made ready without any call");

        Api.Reply first = api.invoke(token, "ready", "{}");
        assertEquals(200, first.status(), first::toString);
        assertEquals("warm", first.header("X-Hearth-Start"), "the first call finds the provisioned container");
    }

    @Test
    void http_imageThatNeverListens_isAFunctionCrash_namingItsOutput() throws Exception {
        String image = Docker.buildImage("hearth-test/http-broken", """
                FROM hearth/example-rev
                ENTRYPOINT ["sh", "-c", "echo 'cannot find my config' >&2; exit 2"]
                """);
        assertEquals(201, api.post("/v1/functions", token, Api.image("broken", image, "http")).status());

        long started = System.nanoTime();
        Api.Reply reply = api.invoke(token, "broken", "{}");
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertEquals(502, reply.status(), reply::toString);
        assertEquals("function_crashed", reply.errorType());
        String message = reply.json().get("error").get("message").asText();
        assertTrue(message.contains("status 2") && message.contains("cannot find my config"), message);
        assertTrue(tookMs < 10_000, "an exited container is noticed without waiting out the ready timeout: " + tookMs + " ms");
    }

    @Test
    void imageFunction_rejectsSourceFields_andExecRejectsMinWarm() {
        var mixed = Api.image("mixed", "hearth/example-rev", "exec").put("runtime", "python");
        assertEquals(400, api.post("/v1/functions", token, mixed).status());
        var execWarm = Api.image("exec-warm", "hearth/example-rev", "exec").put("minWarm", 1);
        assertEquals(400, api.post("/v1/functions", token, execWarm).status());
        assertEquals(400, api.post("/v1/functions", token, Map.of("name", "nocontract", "image", "hearth/example-rev")).status());
    }
}
