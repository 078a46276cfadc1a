package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Users, tokens, functions and their code survive a restart on the same data folder. */
class RestartIntegrationTest {

    @TempDir
    Path data;

    @Test
    void afterRestart_usersTokensAndFunctionsAreThere_andInvokable() throws Exception {
        var env = TestHearth.settings(data);
        String token;
        try (Hearth hearth = TestHearth.startWarm(env)) {
            var api = new Api(hearth.port());
            token = api.userWithToken("henry");
            assertEquals(201, api.post("/v1/functions", token, Api.pythonArchive("kept", java.util.Map.of(
                    "main.py", "import util\ndef handler(e, c):\n    return util.double(e)\n",
                    "util.py", "def double(x):\n    return x * 2\n"))).status());
            assertEquals("42", api.invoke(token, "kept", "21").text());
            var ready = Api.pythonSource("ready", "def handler(e, c):\n    return 'ready'\n").put("minWarm", 1);
            assertEquals(201, api.post("/v1/functions", token, ready).status());
        }

        try (Hearth hearth = TestHearth.startWarm(env)) {
            var api = new Api(hearth.port());
            Api.Reply reply = api.invoke(token, "kept", "50");
            assertEquals(200, reply.status(), reply::toString);
            assertEquals("100", reply.text());
            assertEquals("pool", reply.header("X-Hearth-Start"));
            assertEquals(201, new Api(hearth.port()).post("/v1/tokens", null,
                    java.util.Map.of("username", "henry", "password", "correct horse battery")).status());
            assertEquals(2, api.get("/v1/functions", token).json().get("functions").size());

            // minWarm is restored at start: its container is made ready before any call.
            assertTrue(Docker.eventually(java.time.Duration.ofSeconds(20), () -> hearth.pool().stats().warm() >= 1));
            Api.Reply warm = api.invoke(token, "ready", "{}");
            assertEquals("\"ready\"", warm.text());
            assertEquals("warm", warm.header("X-Hearth-Start"));
        }
    }
}
