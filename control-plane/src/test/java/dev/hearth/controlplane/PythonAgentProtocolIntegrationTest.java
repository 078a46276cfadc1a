package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python agent's HTTP/1.1 on its socket, spoken byte by byte as the pool manager's client and
 * as a broken or hostile peer would: one real runtime container, no Hearth around it. Requests
 * follow each other on one kept-alive connection; what the agent cannot read is answered with a
 * JSON error and the connection is closed, and the agent keeps serving.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PythonAgentProtocolIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IMAGE = "hearth/runtime-python:latest";

    @TempDir
    static Path folder;
    private String container;
    private Path socket;

    @BeforeAll
    void start() throws Exception {
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path code = Files.createDirectories(folder.resolve("code"));
        // Named as the agent's own module once was: a function's module of that name is the function's.
        Files.writeString(code.resolve("agent.py"), """
                def handler(event, context):
                    print("called with", event)
                    return {"echo": event, "requestId": context.aws_request_id}
                """);
        container = Docker.CLIENT.createContainerCmd(IMAGE)
                .withUser("99999:99999")
                .withNetworkDisabled(true)
                .withLabels(Map.of("dev.hearth.test", "python-agent-protocol"))
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none")
                        .withBinds(new Bind(folder.toString(), new Volume("/run/hearth"))))
                .exec().getId();
        Docker.CLIENT.startContainerCmd(container).exec();
        socket = folder.resolve("agent.sock");
        assertTrue(Docker.eventually(Duration.ofSeconds(30), () -> Files.exists(socket)), "the agent never listened");
    }

    @AfterAll
    void stop() {
        if (container != null) {
            Docker.CLIENT.removeContainerCmd(container).withForce(true).exec();
        }
    }

    @Test
    void requestsOnOneConnection_areAnsweredInOrder_andItStaysOpen() throws Exception {
        String init = """
                {"handler":"agent.handler","codeDir":"/run/hearth/code","functionName":"f","functionVersion":1,"memoryMb":128}""";
        String event = "{\"n\":7}";
        try (Peer peer = new Peer(socket)) {
            // Three requests in one write, header names in any case, as HTTP allows.
            peer.send("GET /healthz HTTP/1.1\r\nHost: agent\r\n\r\n"
                    + post("/init", "content-length", init, "")
                    + post("/run", "CONTENT-LENGTH", event, "x-HEARTH-request-id: req-1\r\nX-Hearth-Deadline-Ms: 4102444800000\r\n"));
            Reply health = peer.reply();
            assertEquals(200, health.status, health::toString);
            assertEquals(false, health.json().get("initialized").asBoolean());
            Reply loaded = peer.reply();
            assertEquals(200, loaded.status, loaded::toString);
            assertTrue(loaded.json().has("initMs"), loaded::toString);
            Reply ran = peer.reply();
            assertEquals(200, ran.status, ran::toString);
            int logBytes = Integer.parseInt(ran.header("x-hearth-log-bytes"));
            String logs = new String(ran.body, 0, logBytes, StandardCharsets.UTF_8);
            assertTrue(logs.contains("req-1\tstdout\tcalled with {'n': 7}"), logs);
            JsonNode result = JSON.readTree(new String(ran.body, logBytes, ran.body.length - logBytes, StandardCharsets.UTF_8));
            assertEquals(7, result.get("echo").get("n").asInt());
            assertEquals("req-1", result.get("requestId").asText());

            // Still open: a fourth request on the same connection.
            peer.send("GET /healthz HTTP/1.1\r\n\r\n");
            Reply again = peer.reply();
            assertEquals(200, again.status);
            assertEquals(true, again.json().get("initialized").asBoolean());
            assertEquals(null, again.header("connection"));
        }
    }

    @Test
    void whatTheAgentCannotRead_isAJsonError_thenTheConnectionCloses() throws Exception {
        String big = Integer.toString(6 * 1024 * 1024 + 1);
        Map<String, Integer> cases = new LinkedHashMap<>();
        cases.put("NONSENSE\r\n\r\n", 400);
        cases.put("GET /healthz HTTP/2.0\r\n\r\n", 400);
        cases.put("GET healthz HTTP/1.1\r\n\r\n", 400);
        cases.put("GET /healthz HTTP/1.1\r\nno colon here\r\n\r\n", 400);
        cases.put("GET /healthz HTTP/1.1\r\n Folded: value\r\n\r\n", 400);
        cases.put("POST /run HTTP/1.1\r\nContent-Length: 12abc\r\n\r\n", 400);
        cases.put("POST /run HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400);
        cases.put("POST /run HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}", 400);
        cases.put("POST /run HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", 501);
        // Answered before the body is read: nobody waits for 6 MiB to be sent.
        cases.put("POST /run HTTP/1.1\r\nContent-Length: " + big + "\r\n\r\n", 413);
        cases.put("GET /" + "a".repeat(9000) + " HTTP/1.1\r\n\r\n", 414);
        cases.put("GET /healthz HTTP/1.1\r\nX-Long: " + "b".repeat(9000) + "\r\n\r\n", 431);
        StringBuilder many = new StringBuilder("GET /healthz HTTP/1.1\r\n");
        for (int i = 0; i < 65; i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }
        cases.put(many.append("\r\n").toString(), 431);
        for (var c : cases.entrySet()) {
            try (Peer peer = new Peer(socket)) {
                peer.send(c.getKey() + "GET /healthz HTTP/1.1\r\n\r\n");
                Reply reply = peer.reply();
                String what = c.getKey().substring(0, Math.min(60, c.getKey().length()));
                assertEquals(c.getValue(), reply.status, () -> what + " -> " + reply);
                assertEquals("close", reply.header("connection"), what);
                String type = reply.json().get("errorType").asText();
                assertEquals(c.getValue() == 413 ? "Runtime.RequestTooLarge" : "Runtime.BadRequest", type, what);
                // The request that followed on the same connection is never read.
                assertTrue(peer.atEnd(), what);
            }
        }
        assertServing();
    }

    @Test
    void theRightRequestsOnTheWrongTargets_areAnsweredAndTheConnectionStays() throws Exception {
        try (Peer peer = new Peer(socket)) {
            peer.send("GET /nope HTTP/1.1\r\n\r\n" + "PUT /run HTTP/1.1\r\nContent-Length: 0\r\n\r\n"
                    + post("/elsewhere", "Content-Length", "{}", "") + post("/run", "Content-Length", "{not json", ""));
            assertEquals(404, peer.reply().status);
            assertEquals(501, peer.reply().status);
            assertEquals(404, peer.reply().status);
            Reply invalid = peer.reply();
            assertEquals(400, invalid.status);
            assertEquals("Runtime.InvalidJson", invalid.json().get("errorType").asText());
            peer.send("GET /healthz HTTP/1.1\r\n\r\n");
            assertEquals(200, peer.reply().status);
        }
    }

    @Test
    void askingToClose_orHttp10_closesAfterTheAnswer() throws Exception {
        for (String request : List.of("GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n", "GET /healthz HTTP/1.0\r\n\r\n")) {
            try (Peer peer = new Peer(socket)) {
                peer.send(request + "GET /healthz HTTP/1.1\r\n\r\n");
                Reply reply = peer.reply();
                assertEquals(200, reply.status);
                assertEquals("close", reply.header("connection"));
                assertTrue(peer.atEnd(), request);
            }
        }
    }

    @Test
    void aPeerThatLeavesMidRequest_doesNotStopTheAgent() throws Exception {
        for (String partial : List.of("GET /heal", "GET /healthz HTTP/1.1\r\nHost: a", "POST /run HTTP/1.1\r\nContent-Length: 100\r\n\r\n{\"a\"")) {
            try (Peer peer = new Peer(socket)) {
                peer.send(partial);
            }
        }
        assertServing();
    }

    private void assertServing() throws IOException {
        try (Peer peer = new Peer(socket)) {
            peer.send("GET /healthz HTTP/1.1\r\n\r\n");
            assertEquals(200, peer.reply().status);
        }
    }

    private static String post(String path, String lengthName, String body, String headers) {
        return "POST " + path + " HTTP/1.1\r\nContent-Type: application/json\r\n" + headers + lengthName + ": "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    private record Reply(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + new String(body, StandardCharsets.UTF_8);
        }
    }

    /** One connection to the agent's socket, written and read as raw bytes. */
    private static final class Peer implements AutoCloseable {
        private final SocketChannel channel;
        private final InputStream in;

        Peer(Path socket) throws IOException {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            in = Channels.newInputStream(channel);
        }

        void send(String text) throws IOException {
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }

        Reply reply() throws IOException {
            String statusLine = line();
            String[] parts = statusLine.split(" ", 3);
            assertEquals("HTTP/1.1", parts[0], statusLine);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line = line(); !line.isEmpty(); line = line()) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
            byte[] body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
            return new Reply(Integer.parseInt(parts[1]), headers, body);
        }

        /** True when the agent closed the connection and sent nothing more. */
        boolean atEnd() throws IOException {
            try {
                return in.read() == -1;
            } catch (IOException e) {
                // Closed with the rest of what was sent unread, the kernel reports a reset.
                return e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("reset");
            }
        }

        private String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int previous = -1;
            for (int b = in.read(); !(previous == '\r' && b == '\n'); b = in.read()) {
                if (b == -1) {
                    throw new IOException("the agent closed the connection inside an answer: " + line);
                }
                line.write(b);
                previous = b;
            }
            byte[] bytes = line.toByteArray();
            return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
