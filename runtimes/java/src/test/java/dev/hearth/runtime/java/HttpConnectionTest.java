package dev.hearth.runtime.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpConnectionTest {

    private final ByteArrayOutputStream written = new ByteArrayOutputStream();

    private HttpConnection connection(String raw, int maxBody) {
        return new HttpConnection(new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)), written, maxBody);
    }

    private HttpConnection connection(String raw) {
        return connection(raw, 1024);
    }

    private static int refusal(HttpConnection connection) {
        return assertThrows(HttpException.class, connection::read).status();
    }

    @Test
    void read_simpleGet_givesMethodPathVersionAndKeepAlive() throws Exception {
        HttpRequest request = connection("GET /healthz HTTP/1.1\r\nHost: agent\r\n\r\n").read();
        assertEquals("GET", request.method());
        assertEquals("/healthz", request.path());
        assertEquals("HTTP/1.1", request.version());
        assertTrue(request.keepAlive());
        assertEquals(0, request.body().length);
    }

    @Test
    void read_headerNames_areCaseInsensitive() throws Exception {
        HttpRequest request = connection("POST /run HTTP/1.1\r\nx-hearth-request-id:  r1 \r\nCONTENT-length: 2\r\n\r\n{}").read();
        assertEquals("r1", request.header("X-Hearth-Request-Id"));
        assertEquals("2", request.header("content-length"));
        assertEquals("{}", new String(request.body(), StandardCharsets.UTF_8));
    }

    @Test
    void read_bareLineFeeds_areAccepted() throws Exception {
        HttpRequest request = connection("POST /run HTTP/1.1\nContent-Length: 1\n\n1").read();
        assertEquals("/run", request.path());
        assertEquals("1", new String(request.body(), StandardCharsets.UTF_8));
    }

    @Test
    void read_emptyLinesBeforeRequestLine_areIgnored() throws Exception {
        assertEquals("/healthz", connection("\r\n\r\nGET /healthz HTTP/1.1\r\n\r\n").read().path());
    }

    @Test
    void read_pipelinedRequests_eachGetsItsOwnBody() throws Exception {
        HttpConnection connection = connection("POST /run HTTP/1.1\r\nContent-Length: 3\r\n\r\n[1]"
                + "POST /run HTTP/1.1\r\nContent-Length: 4\r\n\r\n\"x\"\n");
        assertEquals("[1]", new String(connection.read().body(), StandardCharsets.UTF_8));
        assertEquals("\"x\"\n", new String(connection.read().body(), StandardCharsets.UTF_8));
        assertNull(connection.read());
    }

    @Test
    void read_endOfStreamBetweenRequests_givesNull() throws Exception {
        assertNull(connection("").read());
    }

    @Test
    void read_endOfStreamInsideBody_throwsEof() {
        HttpConnection connection = connection("POST /run HTTP/1.1\r\nContent-Length: 10\r\n\r\n{\"a\"");
        assertThrows(EOFException.class, connection::read);
    }

    @Test
    void read_endOfStreamInsideHeaders_throwsEof() {
        assertThrows(EOFException.class, connection("GET /healthz HTTP/1.1\r\nHost: a")::read);
    }

    @Test
    void read_chunkedBody_isRefusedWith411() {
        assertEquals(411, refusal(connection("POST /run HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n")));
    }

    @Test
    void read_transferEncodingWithContentLength_isRefusedWith400() {
        assertEquals(400, refusal(connection("POST /run HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n{}")));
    }

    @Test
    void read_conflictingContentLengths_areRefused() {
        assertEquals(400, refusal(connection("POST /run HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}")));
    }

    @Test
    void read_identicalRepeatedContentLengths_areAccepted() throws Exception {
        HttpRequest request = connection("POST /run HTTP/1.1\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\n{}").read();
        assertEquals(2, request.body().length);
    }

    @Test
    void read_malformedContentLength_isRefused() {
        for (String value : List.of("1x", "-1", "", "+2", "99999999999999999999")) {
            assertEquals(400, refusal(connection("POST /run HTTP/1.1\r\nContent-Length: " + value + "\r\n\r\n")), value);
        }
    }

    @Test
    void read_obsoleteLineFolding_isRefused() {
        assertEquals(400, refusal(connection("GET /healthz HTTP/1.1\r\nX-A: a\r\n b\r\n\r\n")));
    }

    @Test
    void read_whitespaceBeforeColon_isRefused() {
        assertEquals(400, refusal(connection("GET /healthz HTTP/1.1\r\nHost : a\r\n\r\n")));
    }

    @Test
    void read_headerWithoutColon_isRefused() {
        assertEquals(400, refusal(connection("GET /healthz HTTP/1.1\r\nHost\r\n\r\n")));
    }

    @Test
    void read_malformedRequestLine_isRefused() {
        for (String line : List.of("HELLO", "GET  /healthz HTTP/1.1", "GET /healthz", "GET /a b HTTP/1.1", "G(T /a HTTP/1.1", "GET healthz HTTP/1.1")) {
            assertEquals(400, refusal(connection(line + "\r\n\r\n")), line);
        }
    }

    @Test
    void read_unsupportedVersion_isRefusedWith505() {
        assertEquals(505, refusal(connection("GET /healthz HTTP/2.0\r\n\r\n")));
        assertEquals(400, refusal(connection("GET /healthz HTTX/1.1\r\n\r\n")));
    }

    @Test
    void read_connectionClose_endsKeepAlive() throws Exception {
        assertFalse(connection("GET /healthz HTTP/1.1\r\nConnection: keep-alive, Close\r\n\r\n").read().keepAlive());
    }

    @Test
    void read_http10_closesUnlessAskedToKeepAlive() throws Exception {
        assertFalse(connection("GET /healthz HTTP/1.0\r\n\r\n").read().keepAlive());
        HttpRequest request = connection("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
        assertTrue(request.keepAlive());
        assertTrue(request.http10());
    }

    @Test
    void read_bodyOverLimit_isSkippedAndFlagged() throws Exception {
        HttpConnection connection = connection("POST /run HTTP/1.1\r\nContent-Length: 21\r\n\r\n[1,2,3,4,5,6,7,8,9,0]"
                + "GET /healthz HTTP/1.1\r\n\r\n", 10);
        HttpRequest large = connection.read();
        assertTrue(large.bodyTooLarge());
        assertTrue(large.keepAlive());
        assertEquals(0, large.body().length);
        assertEquals("/healthz", connection.read().path());
    }

    @Test
    void read_bodyOverLimitWithExpectContinue_isNotReadAndCloses() throws Exception {
        HttpRequest request = connection("POST /run HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 20\r\n\r\n", 10).read();
        assertTrue(request.bodyTooLarge());
        assertFalse(request.keepAlive());
        assertEquals(0, written.size());
    }

    @Test
    void read_expectContinue_answers100BeforeReadingBody() throws Exception {
        HttpRequest request = connection("POST /run HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n{}").read();
        assertEquals("HTTP/1.1 100 Continue\r\n\r\n", written.toString(StandardCharsets.ISO_8859_1));
        assertEquals(2, request.body().length);
    }

    @Test
    void read_requestLineTooLong_isRefusedWith414() {
        String path = "/" + "a".repeat(HttpConnection.MAX_REQUEST_LINE);
        assertEquals(414, refusal(connection("GET " + path + " HTTP/1.1\r\n\r\n")));
    }

    @Test
    void read_tooManyHeaders_isRefusedWith431() {
        StringBuilder raw = new StringBuilder("GET /healthz HTTP/1.1\r\n");
        for (int i = 0; i <= HttpConnection.MAX_HEADERS; i++) {
            raw.append("X-").append(i).append(": v\r\n");
        }
        assertEquals(431, refusal(connection(raw.append("\r\n").toString())));
    }

    @Test
    void read_nulInHeader_isRefused() {
        assertEquals(400, refusal(connection("GET /healthz HTTP/1.1\r\nX-A: a\0b\r\n\r\n")));
    }

    @Test
    void read_absoluteFormTargetWithQuery_givesThePath() throws Exception {
        assertEquals("/healthz", connection("GET http://agent/healthz?x=1 HTTP/1.1\r\n\r\n").read().path());
        assertEquals("/run", connection("POST /run?x=1#f HTTP/1.1\r\n\r\n").read().path());
    }

    @Test
    void read_refusalAfterRequestLine_carriesThePath() {
        HttpException error = assertThrows(HttpException.class,
                connection("POST /run HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")::read);
        assertEquals("/run", error.path());
    }

    @Test
    void write_response_hasContentLengthAndJoinedBody() throws Exception {
        HttpResponse response = new HttpResponse(200, new java.util.LinkedHashMap<>(Map.of("X-Hearth-Log-Bytes", "3")),
                List.of("ab\n".getBytes(StandardCharsets.UTF_8), "null".getBytes(StandardCharsets.UTF_8)));
        connection("").write(response, true, false, false);
        assertEquals("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Hearth-Log-Bytes: 3\r\nContent-Length: 7\r\n\r\nab\nnull",
                written.toString(StandardCharsets.UTF_8));
    }

    @Test
    void write_closingResponse_saysConnectionClose() throws Exception {
        connection("").write(HttpResponse.json(400, "{}"), false, false, false);
        assertTrue(written.toString(StandardCharsets.UTF_8).contains("\r\nConnection: close\r\n"));
    }

    @Test
    void write_headRequest_sendsNoBody() throws Exception {
        connection("").write(HttpResponse.json(405, "{}"), true, false, true);
        String answer = written.toString(StandardCharsets.UTF_8);
        assertTrue(answer.endsWith("Content-Length: 2\r\n\r\n"), answer);
    }

    @Test
    void write_http10KeepAlive_saysKeepAlive() throws Exception {
        connection("").write(HttpResponse.json(200, "{}"), true, true, false);
        assertTrue(written.toString(StandardCharsets.UTF_8).contains("\r\nConnection: keep-alive\r\n"));
    }
}
