package dev.hearth.runtime.java;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Owns the image build's training run ({@code --train}, under {@code -XX:ArchiveClassesAtExit}):
 * the sample handler in {@code train/} is loaded and invoked through the real HTTP reader,
 * dispatcher and JSON paths, in-process, so the CDS archive holds the classes a real /init and
 * /run load; one /healthz also goes through a Unix socket in a temporary folder, for the socket
 * classes a start loads. Every answer is checked: a broken agent fails the image build.
 */
final class Training {

    private Training() {
    }

    static void run() throws IOException {
        LogCapture capture = LogCapture.install();
        Path code = Files.createTempDirectory("hearth-train");
        try {
            String init = "{\"handler\":\"%s\",\"codeDir\":\"" + code + "\",\"functionName\":\"train\",\"functionVersion\":\"1\","
                    + "\"memoryMb\":" + (Runtime.getRuntime().maxMemory() >> 20) + ",\"timeoutMs\":3000,\"env\":{\"HEARTH_TRAINING\":\"1\"}}";
            String answers = exchange(capture,
                    get("/healthz"),
                    post("/init", String.format(init, "dev.hearth.runtime.java.train.Echo"), ""),
                    post("/run", "{\"name\":\"x\",\"n\":[1,2.5,true,null]}", "train-1"),
                    post("/run", "{\"fail\":true}", "train-2"),
                    post("/run", "{not json", "train-3"),
                    post("/init", String.format(init, "dev.hearth.runtime.java.train.Echo"), ""));
            expect(answers, "HTTP/1.1 200 OK", 3);
            expect(answers, "X-Hearth-Function-Error: Unhandled", 1);
            expect(answers, "\"errorType\":\"java.lang.IllegalStateException\"", 1);
            expect(answers, "HTTP/1.1 400 Bad Request", 1);
            expect(answers, "HTTP/1.1 409 Conflict", 1);
            expect(answers, "\ttrain-1\tstdout\tGREETING=1\n", 1);

            answers = exchange(capture,
                    post("/init", String.format(init, "dev.hearth.runtime.java.train.Echo::greet"), ""),
                    post("/run", "{\"name\":\"x\",\"count\":1,\"unknown\":2}", "train-4"),
                    post("/run", "\"not a greeting\"", "train-5"));
            expect(answers, "HTTP/1.1 200 OK", 2);
            expect(answers, "\"count\":2", 1);
            expect(answers, "\"errorType\":\"Runtime.UnmarshalError\"", 1);
            expect(answers, "\ttrain-5\tstdout\tcannot read the event as ", 1);
            answers = overSocket(capture, code.resolve("train.sock"), get("/healthz").replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"));
            expect(answers, "{\"initialized\":false}", 1);
            Diagnostics.log("training run passed");
        } finally {
            Files.deleteIfExists(code.resolve("train.sock"));
            Files.deleteIfExists(code);
        }
    }

    /** One request through a real Unix socket, as the agent listens, so the socket classes are archived too. */
    private static String overSocket(LogCapture capture, Path socket, String request) throws IOException {
        Dispatcher dispatcher = Agent.newDispatcher(capture);
        try (ServerSocketChannel server = Agent.listen(socket)) {
            Thread serving = new Thread(() -> {
                try {
                    Agent.serve(server.accept(), dispatcher);
                } catch (IOException e) {
                    Diagnostics.log("training connection failed", e);
                }
            }, "hearth-training");
            serving.start();
            try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                client.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
                return new String(Channels.newInputStream(client).readAllBytes(), StandardCharsets.UTF_8);
            } finally {
                try {
                    serving.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Sends the requests over one in-memory connection to a fresh dispatcher; returns all that came back. */
    private static String exchange(LogCapture capture, String... requests) throws IOException {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        for (String request : requests) {
            sent.writeBytes(request.getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        HttpConnection connection = new HttpConnection(new ByteArrayInputStream(sent.toByteArray()), received, Dispatcher.MAX_BODY);
        Agent.serve(connection, Agent.newDispatcher(capture));
        return received.toString(StandardCharsets.UTF_8);
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: agent\r\n\r\n";
    }

    private static String post(String path, String json, String requestId) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return "POST " + path + " HTTP/1.1\r\nHost: agent\r\nContent-Type: application/json\r\n"
                + "X-Hearth-Request-Id: " + requestId + "\r\nX-Hearth-Deadline-Ms: " + (System.currentTimeMillis() + 3000)
                + "\r\nContent-Length: " + body.length + "\r\n\r\n" + json;
    }

    private static void expect(String answers, String text, int times) {
        int found = 0;
        for (int at = answers.indexOf(text); at >= 0; at = answers.indexOf(text, at + 1)) {
            found++;
        }
        if (found != times) {
            throw new IllegalStateException("training run: expected " + times + " x '" + text + "', found " + found
                    + " in:\n" + answers);
        }
    }
}
