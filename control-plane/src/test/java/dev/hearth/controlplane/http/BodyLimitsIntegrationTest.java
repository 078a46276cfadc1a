package dev.hearth.controlplane.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.controlplane.Api;
import dev.hearth.controlplane.HearthExtension;
import dev.hearth.controlplane.function.FunctionRoutes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every body limit holds exactly, over real HTTP: a body of exactly the limit is taken, one byte
 * more is a JSON 413 (and the connection closed), whether the length is declared or the body is
 * chunked. Undertow's own 2 MiB default no longer cuts in first.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BodyLimitsIntegrationTest {

    private static final int MAX_CODE_MB = 2;
    private static final int EVENT_LIMIT = 6 * 1024 * 1024;

    @RegisterExtension
    static HearthExtension hearth = HearthExtension.warm().with("HEARTH_MAX_CODE_MB", String.valueOf(MAX_CODE_MB));
    Api api;
    String token;
    int port;

    @BeforeAll
    void start() {
        port = hearth.port();
        api = hearth.api();
        token = api.userWithToken("limits");
        var function = Api.pythonSource("size", "def handler(event, context):\n    return len(event) if isinstance(event, str) else -1\n");
        // Six MiB through the agent on two busy cores may take longer than the default 3 s.
        function.put("timeoutMs", 60_000);
        var created = api.post("/v1/functions", token, function);
        assertEquals(201, created.status(), created::toString);
    }

    /** {@code json} followed by spaces up to exactly {@code size} bytes: still the same JSON. */
    private static byte[] padded(String json, long size) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertTrue(bytes.length <= size, "the JSON alone is over the size");
        byte[] body = Arrays.copyOf(bytes, (int) size);
        Arrays.fill(body, bytes.length, body.length, (byte) ' ');
        return body;
    }

    private RawHttp.Answer send(boolean chunked, String method, String path, byte[] body) throws IOException {
        String[] headers = {"Authorization", "Bearer " + token, "Content-Type", "application/json"};
        return chunked ? RawHttp.sendChunked(port, method, path, body, headers) : RawHttp.send(port, method, path, body, headers);
    }

    private static void assertTooLarge(RawHttp.Answer answer) {
        assertEquals(413, answer.status(), answer::toString);
        assertEquals("too_large", answer.errorType(), answer::toString);
        assertEquals("application/json", answer.headers().get("content-type"));
        assertEquals("close", answer.headers().get("connection"), answer::toString);
    }

    private static String credentials(String username) {
        return "{\"username\":\"" + username + "\",\"password\":\"correct horse battery\"}";
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void signUpAndLogIn_takeExactly4KiB_andRefuseOneByteMore(boolean chunked) throws IOException {
        String user = chunked ? "chunky" : "lengthy";
        var signUp = send(chunked, "POST", "/v1/users", padded(credentials(user), 4096));
        assertEquals(201, signUp.status(), signUp::toString);
        assertTooLarge(send(chunked, "POST", "/v1/users", padded(credentials(user + "2"), 4097)));

        var logIn = send(chunked, "POST", "/v1/tokens", padded(credentials(user), 4096));
        assertEquals(201, logIn.status(), logIn::toString);
        assertTooLarge(send(chunked, "POST", "/v1/tokens", padded(credentials(user), 4097)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void patch_takesExactly32KiB_andRefusesOneByteMore(boolean chunked) throws IOException {
        var patched = send(chunked, "PATCH", "/v1/functions/size", padded("{\"concurrency\":5}", 32 * 1024));
        assertEquals(200, patched.status(), patched::toString);
        assertTooLarge(send(chunked, "PATCH", "/v1/functions/size", padded("{\"concurrency\":5}", 32 * 1024 + 1)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void createAndPut_takeExactlyTheLimitThatHearthMaxCodeMbGives(boolean chunked) throws IOException {
        long limit = FunctionRoutes.maxBody(MAX_CODE_MB * 1024L * 1024L);
        String name = chunked ? "big-chunked" : "big-length";
        String source = Api.pythonSource(name, "def handler(event, context):\n    return 1\n").toString();

        var created = send(chunked, "POST", "/v1/functions", padded(source, limit));
        assertEquals(201, created.status(), created::toString);
        assertTooLarge(send(chunked, "POST", "/v1/functions", padded(source.replace(name, name + "2"), limit + 1)));

        var replaced = send(chunked, "PUT", "/v1/functions/" + name, padded(source, limit));
        assertEquals(200, replaced.status(), replaced::toString);
        assertTooLarge(send(chunked, "PUT", "/v1/functions/" + name, padded(source, limit + 1)));
    }

    @Test
    void aZipOver2MiBOnceEncoded_isTaken() {
        byte[] noise = new byte[1_700_000];
        new Random(13).nextBytes(noise);
        var body = Api.pythonArchive("zipped", java.util.Map.of("main.py", "def handler(event, context):\n    return 2\n"));
        body.put("archive", Base64.getEncoder().encodeToString(zipWith(noise)));
        assertTrue(body.get("archive").asText().length() > 2 * 1024 * 1024);
        var created = api.post("/v1/functions", token, body);
        assertEquals(201, created.status(), created::toString);
    }

    private static byte[] zipWith(byte[] noise) {
        var out = new java.io.ByteArrayOutputStream();
        try (var zip = new java.util.zip.ZipOutputStream(out)) {
            zip.putNextEntry(new java.util.zip.ZipEntry("main.py"));
            zip.write("def handler(event, context):\n    return 2\n".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new java.util.zip.ZipEntry("noise.bin"));
            zip.write(noise);
            zip.closeEntry();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A JSON string event of exactly {@code size} bytes. */
    private static byte[] event(int size) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'e');
        body[0] = '"';
        body[size - 1] = '"';
        return body;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void invoke_takesExactly6MiB_andRefusesOneByteMore(boolean chunked) throws IOException {
        var ran = send(chunked, "POST", "/v1/functions/size/invoke", event(EVENT_LIMIT));
        assertEquals(200, ran.status(), ran::toString);
        assertEquals(EVENT_LIMIT - 2, ran.json().asInt(), ran::toString);
        assertTooLarge(send(chunked, "POST", "/v1/functions/size/invoke", event(EVENT_LIMIT + 1)));
    }

    @Test
    void aChunked10MBInvoke_isA413_notADroppedConnection() throws IOException {
        assertTooLarge(send(true, "POST", "/v1/functions/size/invoke", event(10_000_000)));
    }

    @Test
    void a3MiBEvent_fromAPlainClient_runs() {
        var ran = api.invoke(token, "size", "\"" + "x".repeat(3 * 1024 * 1024) + "\"");
        assertEquals(200, ran.status(), ran::toString);
        assertEquals(3 * 1024 * 1024, ran.json().asInt());
    }

    @Test
    void aBodyOnARouteThatReadsNone_isBoundedToo() throws IOException {
        assertTooLarge(send(true, "GET", "/v1/functions", new byte[(int) HttpServer.DEFAULT_BODY_LIMIT + 1]));
        var listed = send(false, "GET", "/v1/functions", new byte[(int) HttpServer.DEFAULT_BODY_LIMIT]);
        assertEquals(200, listed.status(), listed::toString);
    }
}
