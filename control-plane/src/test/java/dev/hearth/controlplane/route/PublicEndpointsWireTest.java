package dev.hearth.controlplane.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.controlplane.http.HttpServer;
import dev.hearth.controlplane.http.HttpSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A function's answer as it goes on the wire ({@link PublicEndpoints#send}), read back byte for byte from a socket. */
class PublicEndpointsWireTest {

    private HttpServer server;

    /** Every path answers the function result given as the query string's {@code r} (URL-safe JSON below). */
    @BeforeEach
    void start() {
        var http = new HttpSettings(2, 50, Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5), 1 << 20);
        server = HttpServer.start("127.0.0.1", 0, http, List.of(routes -> routes.setFallbackHandler(HttpServer.route(ex -> {
            ex.getResponseHeaders().put(PublicEndpoints.INVOCATION_ID, "inv-real");
            String result = java.net.URLDecoder.decode(ex.getQueryString(), StandardCharsets.UTF_8);
            PublicEndpoints.send(ex, HttpAnswer.fromResult(result.getBytes(StandardCharsets.UTF_8)));
        }))));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The raw response head (status line and header lines) and what followed, for one request on a closing connection. */
    private record Raw(List<String> head, String rest) {
        List<String> header(String name) {
            return head.stream().filter(l -> l.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                    .map(l -> l.substring(name.length() + 1).strip()).toList();
        }
    }

    private Raw request(String method, String result) throws IOException {
        String query = java.net.URLEncoder.encode(result, StandardCharsets.UTF_8);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write((method + " /x?" + query + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            var bytes = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(bytes);
            String all = bytes.toString(StandardCharsets.ISO_8859_1);
            int end = all.indexOf("\r\n\r\n");
            return new Raw(new ArrayList<>(List.of(all.substring(0, end).split("\r\n"))), all.substring(end + 4));
        }
    }

    @Test
    void aHeadAnswer_givesTheLengthTheGetWould_withoutTheBody() throws IOException {
        String result = "{\"statusCode\":200,\"headers\":{\"Content-Type\":\"text/plain\"},\"body\":\"twelve bytes\"}";
        Raw get = request("GET", result);
        assertEquals(List.of("12"), get.header("Content-Length"));
        assertEquals("twelve bytes", get.rest());
        Raw head = request("HEAD", result);
        assertEquals("HTTP/1.1 200 OK", head.head().get(0));
        assertEquals(List.of("12"), head.header("Content-Length"), head.head().toString());
        assertEquals("", head.rest());
    }

    @Test
    void theInvocationIdHeader_isHearths_notTheFunctions() throws IOException {
        Raw r = request("GET", "{\"statusCode\":200,\"headers\":{\"x-hearth-invocation-id\":\"inv-forged\"},\"body\":\"b\"}");
        assertEquals(List.of("inv-real"), r.header("X-Hearth-Invocation-Id"), r.head().toString());
    }

    @Test
    void aOneHundredAnswer_doesNotLeaveTheConnectionWaitingForAnotherResponse() throws IOException {
        Raw r = request("GET", "{\"statusCode\":100,\"body\":\"x\"}");
        assertEquals("HTTP/1.1 502 Bad Gateway", r.head().get(0));
        assertTrue(r.rest().contains("bad_function_response"), r.rest());
    }
}
