package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Buggy and hostile functions stay inside their container, and their next call works. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IsolationIntegrationTest {

    @RegisterExtension
    static HearthExtension hearth = HearthExtension.warm().with("HEARTH_POOL_PYTHON", "2");
    Api api;
    String token;

    @BeforeAll
    void start() {
        api = hearth.api();
        token = api.userWithToken("mallory");
    }

    static final String INTERFACES = "import os\ndef handler(e, c):\n    return sorted(os.listdir('/sys/class/net'))\n";

    private String create(String code, int memoryMb, int timeoutMs) {
        return create(code, memoryMb, timeoutMs, "none");
    }

    private String create(String code, int memoryMb, int timeoutMs, String network) {
        String name = "f-" + UUID.randomUUID().toString().substring(0, 8);
        var body = Api.pythonSource(name, code).put("memoryMb", memoryMb).put("timeoutMs", timeoutMs).put("network", network);
        Api.Reply created = api.post("/v1/functions", token, body);
        assertEquals(201, created.status(), created::toString);
        return name;
    }

    private void assertFunctionFailure(Api.Reply reply) {
        assertEquals(502, reply.status(), reply::toString);
        String type = reply.errorType();
        assertTrue(type.equals("function_error") || type.equals("function_crashed"), reply::toString);
    }

    @Test
    void memoryExhaustion_isAFunctionError_andTheNextCallWorks() {
        String name = create("""
                def handler(event, context):
                    if event.get("hog"):
                        hog = bytearray(1024 * 1024 * 1024)
                        return len(hog)
                    return "fine"
                """, 128, 10_000);
        Api.Reply hog = api.invoke(token, name, "{\"hog\":true}");
        assertFunctionFailure(hog);
        assertTrue(hog.json().get("error").get("message").asText().contains("memory"), hog::toString);
        Api.Reply next = api.invoke(token, name, "{}");
        assertEquals(200, next.status(), next::toString);
        assertEquals("\"fine\"", next.text());
    }

    @Test
    void forkBomb_isAFunctionError_andTheNextCallWorks() {
        String name = create("""
                import os
                def handler(event, context):
                    if event.get("bomb"):
                        while True:
                            os.fork()
                    return "fine"
                """, 128, 10_000);
        assertFunctionFailure(api.invoke(token, name, "{\"bomb\":true}"));
        Api.Reply next = api.invoke(token, name, "{}");
        assertEquals(200, next.status(), next::toString);
        assertEquals("\"fine\"", next.text());
    }

    @Test
    void spinningHandler_getsA504_withinAFewSeconds_andTheNextCallWorks() {
        String name = create("""
                def handler(event, context):
                    if event.get("spin"):
                        while True:
                            pass
                    return "fine"
                """, 128, 1000);
        long started = System.nanoTime();
        Api.Reply spun = api.invoke(token, name, "{\"spin\":true}");
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        assertEquals(504, spun.status(), spun::toString);
        assertTrue(seconds < 5, "answered after " + seconds + " s");
        assertEquals(200, api.invoke(token, name, "{}").status());
    }

    @Test
    void egress_isOptIn_perFunction() {
        Api.Reply offline = api.invoke(token, create(INTERFACES, 128, 3000), "{}");
        assertEquals("[\"lo\"]", offline.text());
        Api.Reply online = api.invoke(token, create(INTERFACES, 128, 3000, "egress"), "{}");
        assertEquals(200, online.status(), online::toString);
        assertEquals("cold", online.header("X-Hearth-Start"), "pooled containers have no network; egress gets its own");
        assertTrue(online.json().size() > 1 && online.text().contains("eth0"), online::toString);
    }

    @Test
    void probe_seesAnUnprivilegedReadOnlyOfflineContainer() {
        String name = create("""
                import os
                def handler(event, context):
                    try:
                        open("/etc/hearth-probe", "w").close()
                        root_writable = True
                    except OSError:
                        root_writable = False
                    with open("/tmp/probe", "w") as f:
                        f.write("ok")
                    with open("/proc/self/status") as f:
                        caps = {l.split(":")[0]: l.split(":")[1].strip() for l in f if l.startswith("Cap")}
                    return {"uid": os.getuid(), "gid": os.getgid(), "rootWritable": root_writable,
                            "tmpWritable": open("/tmp/probe").read() == "ok",
                            "capEff": caps["CapEff"], "capPrm": caps["CapPrm"],
                            "interfaces": sorted(os.listdir("/sys/class/net"))}
                """, 128, 3000);
        JsonNode probe = api.invoke(token, name, "{}").json();
        assertEquals(HearthConfig.DEFAULT_CONTAINER_UID, probe.get("uid").asInt());
        assertEquals(HearthConfig.DEFAULT_CONTAINER_UID, probe.get("gid").asInt());
        assertEquals(false, probe.get("rootWritable").asBoolean());
        assertEquals(true, probe.get("tmpWritable").asBoolean());
        assertEquals("0000000000000000", probe.get("capEff").asText());
        assertEquals("0000000000000000", probe.get("capPrm").asText());
        assertEquals("[\"lo\"]", probe.get("interfaces").toString());
    }
}
