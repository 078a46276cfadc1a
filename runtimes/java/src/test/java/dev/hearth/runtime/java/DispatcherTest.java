package dev.hearth.runtime.java;

import static dev.hearth.runtime.java.TestSupport.text;
import static dev.hearth.runtime.java.TestSupport.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DispatcherTest {

    private static final String T = "2026-11-22T03:04:05.678Z";

    @TempDir
    Path codeDir;

    private final LogCapture capture = new LogCapture(() -> TestSupport.NOW);
    private final Dispatcher dispatcher = new Dispatcher(capture,
            new FunctionLoader(DispatcherTest.class.getClassLoader(), TypeMapper::shared), () -> TestSupport.NOW);

    private static HttpRequest request(String method, String path, String body, Map<String, String> headers) {
        Map<String, String> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        all.putAll(headers);
        return new HttpRequest(method, path, "HTTP/1.1", all, utf8(body), false, true);
    }

    private HttpResponse init(String handler) {
        return dispatcher.handle(request("POST", "/init", "{\"handler\":\"" + handler + "\",\"codeDir\":\"" + codeDir
                + "\",\"functionName\":\"fn\",\"functionVersion\":\"2\",\"memoryMb\":" + (Runtime.getRuntime().maxMemory() >> 20)
                + ",\"timeoutMs\":3000,"
                + "\"env\":{\"HEARTH_TEST_GREETING\":\"hi\"}}", Map.of()));
    }

    private HttpResponse run(String event, String requestId) {
        return dispatcher.handle(request("POST", "/run", event, Map.of("X-Hearth-Request-Id", requestId,
                "X-Hearth-Deadline-Ms", Long.toString(TestSupport.NOW + 2000))));
    }

    private static String body(HttpResponse response) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        response.body().forEach(out::writeBytes);
        return text(out.toByteArray());
    }

    /** The JSON after the log prefix the X-Hearth-Log-Bytes header announces. */
    private static String json(HttpResponse response) {
        byte[] all = utf8(body(response));
        int logBytes = Integer.parseInt(response.headers().get(Dispatcher.LOG_BYTES_HEADER));
        return text(java.util.Arrays.copyOfRange(all, logBytes, all.length));
    }

    private static String log(HttpResponse response) {
        byte[] all = utf8(body(response));
        return text(java.util.Arrays.copyOf(all, Integer.parseInt(response.headers().get(Dispatcher.LOG_BYTES_HEADER))));
    }

    @Test
    void healthz_beforeAndAfterInit_reportsInitialized() {
        assertEquals("{\"initialized\":false}", body(dispatcher.handle(request("GET", "/healthz", "", Map.of()))));
        init("dev.hearth.fixtures.Handlers$MapToString");
        assertEquals("{\"initialized\":true}", body(dispatcher.handle(request("GET", "/healthz", "", Map.of()))));
    }

    @Test
    void init_validRequest_answersInitMs() {
        HttpResponse response = init("dev.hearth.fixtures.Handlers$MapToString");
        assertEquals(200, response.status());
        assertTrue(body(response).matches("\\{\"initMs\":\\d+\\.\\d{3}}"), body(response));
    }

    @Test
    void run_success_answersLogThenResultAndSeesEnv() {
        init("dev.hearth.fixtures.Handlers$MapToString");
        HttpResponse response = run("{\"name\":\"x\"}", "r1");
        assertEquals(200, response.status());
        assertEquals(T + "\tr1\tstdout\tfor fn\n", log(response));
        assertEquals("\"got x env hi\"", json(response));
        assertNull(response.headers().get(Dispatcher.FUNCTION_ERROR_HEADER));
    }

    @Test
    void run_handlerThrows_answers500UnhandledThenNextCallSucceeds() {
        init("dev.hearth.fixtures.Handlers$MapToString");
        HttpResponse failed = run("{\"fail\":\"now\"}", "r1");
        assertEquals(500, failed.status());
        assertEquals("Unhandled", failed.headers().get(Dispatcher.FUNCTION_ERROR_HEADER));
        assertTrue(json(failed).startsWith("{\"errorType\":\"java.lang.IllegalStateException\",\"errorMessage\":\"failing: now\","
                + "\"stackTrace\":[\"dev.hearth.fixtures.Handlers$MapToString.handleRequest("), json(failed));
        assertFalse(json(failed).contains("\"at "), json(failed));
        assertTrue(log(failed).contains("\tr1\tstdout\tfailing: now: java.lang.IllegalStateException\n"), log(failed));
        assertTrue(log(failed).contains("\tr1\tstdout\tjava.lang.IllegalStateException: failing: now\n"), log(failed));
        assertTrue(log(failed).contains("\tr1\tstdout\t\tat dev.hearth.fixtures.Handlers$MapToString.handleRequest("), log(failed));
        assertEquals(200, run("{\"name\":\"y\"}", "r2").status());
    }

    @Test
    void run_checkedExceptionFromMethod_isUnwrapped() {
        init("dev.hearth.fixtures.Handlers$Methods::thrower");
        HttpResponse failed = run("{}", "r1");
        String json = json(failed);
        assertTrue(json.startsWith("{\"errorType\":\"java.io.IOException\",\"errorMessage\":\"checked failure\""), json);
        assertTrue(log(failed).contains("\tr1\tstdout\tCaused by: java.lang.IllegalArgumentException: root cause\n"), log(failed));
        assertTrue(json.contains("\"dev.hearth.fixtures.Handlers$Methods.thrower("), json);
        assertFalse(json.contains("dev.hearth.runtime.java"), json);
    }

    @Test
    void run_unserializableResult_isMarshalError() {
        init("dev.hearth.fixtures.Handlers$Methods::cyclic");
        HttpResponse response = run("{}", "r1");
        assertEquals(500, response.status());
        assertEquals("Unhandled", response.headers().get(Dispatcher.FUNCTION_ERROR_HEADER));
        assertTrue(json(response).startsWith("{\"errorType\":\"Runtime.MarshalError\""), json(response));
    }

    @Test
    void run_eventNotFittingDeclaredType_isUnmarshalError() {
        init("dev.hearth.fixtures.Handlers$PojoHandler");
        HttpResponse response = run("[1]", "r1");
        assertEquals(500, response.status());
        assertTrue(json(response).startsWith("{\"errorType\":\"Runtime.UnmarshalError\""), json(response));
    }

    @Test
    void run_beforeInit_is409NotInitializedWithLogHeader() {
        HttpResponse response = run("{}", "r1");
        assertEquals(409, response.status());
        assertEquals("0", response.headers().get(Dispatcher.LOG_BYTES_HEADER));
        assertTrue(json(response).contains("Runtime.NotInitialized"));
    }

    @Test
    void run_afterFailedInit_is409NotInitialized() {
        assertEquals(500, init("dev.hearth.fixtures.Handlers$FailingStatic").status());
        assertTrue(json(run("{}", "r1")).contains("Runtime.NotInitialized"));
    }

    @Test
    void run_invalidJson_is400WithLogHeader() {
        init("dev.hearth.fixtures.Handlers$MapToString");
        HttpResponse response = run("{nope", "r1");
        assertEquals(400, response.status());
        assertTrue(json(response).contains("Runtime.InvalidJson"));
    }

    @Test
    void run_bodyTooLarge_is413() {
        HttpRequest request = new HttpRequest("POST", "/run", "HTTP/1.1", new TreeMap<>(), new byte[0], true, true);
        HttpResponse response = dispatcher.handle(request);
        assertEquals(413, response.status());
        assertEquals("0", response.headers().get(Dispatcher.LOG_BYTES_HEADER));
    }

    @Test
    void init_secondTime_is409AndFirstFunctionStays() {
        init("dev.hearth.fixtures.Handlers$MapToString");
        HttpResponse second = init("dev.hearth.fixtures.Handlers$PojoHandler");
        assertEquals(409, second.status());
        assertTrue(body(second).contains("Runtime.AlreadyInitialized"));
        assertEquals("\"got z env hi\"", json(run("{\"name\":\"z\"}", "r")));
    }

    @Test
    void init_failure_isAnsweredWithItsErrorType() {
        HttpResponse response = init("dev.hearth.fixtures.Handlers$NotAHandler");
        assertEquals(500, response.status());
        assertTrue(body(response).startsWith("{\"errorType\":\"Runtime.HandlerNotFound\""), body(response));
    }

    @Test
    void init_badBodies_are400() {
        assertEquals(400, dispatcher.handle(request("POST", "/init", "{", Map.of())).status());
        assertEquals(400, dispatcher.handle(request("POST", "/init", "[1]", Map.of())).status());
        HttpResponse missing = dispatcher.handle(request("POST", "/init", "{\"handler\":\"a.B\"}", Map.of()));
        assertEquals(400, missing.status());
        assertTrue(body(missing).contains("Runtime.BadInit"));
        assertFalse(body(dispatcher.handle(request("GET", "/healthz", "", Map.of()))).contains("true"));
    }

    @Test
    void init_linesWrittenWhileLoading_goWithFirstRun() {
        init("dev.hearth.fixtures.Handlers$MapToString");
        capture.printStream(LogCapture.Stream.STDOUT).println("static init output");
        assertEquals(T + "\tfirst\tstdout\tstatic init output\n" + T + "\tfirst\tstdout\tfor fn\n", log(run("{}", "first")));
    }

    @Test
    void handle_unknownPathAndWrongMethod_are404And405() {
        assertEquals(404, dispatcher.handle(request("GET", "/nope", "", Map.of())).status());
        HttpResponse wrong = dispatcher.handle(request("GET", "/init", "", Map.of()));
        assertEquals(405, wrong.status());
        assertEquals("POST", wrong.headers().get("Allow"));
    }

    @Test
    void reject_onRunPath_carriesLogHeader() {
        HttpResponse response = dispatcher.reject(new HttpException(411, "chunked", "/run"));
        assertEquals(411, response.status());
        assertEquals("0", response.headers().get(Dispatcher.LOG_BYTES_HEADER));
        assertNull(dispatcher.reject(new HttpException(400, "bad", null)).headers().get(Dispatcher.LOG_BYTES_HEADER));
    }
}
