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
import java.util.List;
import java.util.Map;

/**
 * Owns the agent's practice calls of the sample handler in {@code train/}, through the real HTTP
 * reader, dispatcher and JSON paths, in-process.
 *
 * <ul>
 *   <li>The image build's training run ({@code --train}, under {@code -XX:ArchiveClassesAtExit})
 *   makes the CDS archive hold the classes a real /init and /run load; one /healthz also goes
 *   through a Unix socket in a temporary folder, for the socket classes a start loads. Every
 *   answer is checked: a broken agent fails the image build.</li>
 *   <li>The rehearsal ({@link #rehearse}) runs the same calls in each pooled agent before it
 *   listens: an archived class is mapped but still has to be linked and initialized, and its
 *   methods interpreted, in every JVM, and that is most of what a function's first call would
 *   otherwise wait for. Its /init bodies carry environment variables as the platform's do (setting
 *   them is a third of a first /init otherwise), and the variables are put back as they were
 *   afterwards; the capture and dispatcher it used are dropped, so nothing of it reaches the
 *   function.</li>
 * </ul>
 */
final class Training {

    private Training() {
    }

    /** Where the image keeps the sample function's class files (the {@code dev.hearth.rehearsal} package). */
    static final Path SAMPLE = Path.of("/opt/hearth/rehearsal");

    private static final String SAMPLE_CLASS = "dev.hearth.rehearsal.Sample";

    /** Names the platform gives every function (runtimes/README.md), set during the rehearsal and put back after. */
    static final List<String> REHEARSED_VARIABLES = List.of("AWS_REGION", "AWS_LAMBDA_FUNCTION_NAME",
            "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_LOG_STREAM_NAME", "LAMBDA_TASK_ROOT", "_HANDLER", "TZ");

    /**
     * The practice calls in a pooled agent, before it listens, with the sample function loaded
     * from {@code sample} (a folder; the agent's own class path when it lacks the classes, as in
     * the agent's unit tests); returns whether every answer was the expected one. A failure is
     * logged, and the agent serves anyway.
     */
    static boolean rehearse(Path sample) {
        Map<String, String> before = Environment.valuesOf(REHEARSED_VARIABLES);
        StringBuilder env = new StringBuilder("{");
        for (String name : REHEARSED_VARIABLES) {
            env.append(env.length() > 1 ? "," : "").append('"').append(name).append("\":\"rehearsal\"");
        }
        env.append('}');
        try {
            String answers = exchange(LogCapture.install(), get("/healthz"),
                    post("/init", init(SAMPLE_CLASS, sample, env.toString()), ""),
                    post("/run", "{\"name\":\"x\",\"n\":[1,2.5,true,null]}", "rehearsal-1"),
                    post("/run", "{\"name\":\"y\"}", "rehearsal-2"));
            answers += exchange(LogCapture.install(),
                    post("/init", init(SAMPLE_CLASS + "::handle", sample, env.toString()), ""),
                    post("/run", "{\"name\":\"x\",\"n\":[1,2.5,true,null]}", "rehearsal-3"),
                    post("/run", "{\"name\":\"y\"}", "rehearsal-4"));
            answers += exchange(LogCapture.install(),
                    post("/init", init("dev.hearth.runtime.java.train.Echo::greet", sample, env.toString()), ""),
                    post("/run", "{\"name\":\"x\",\"count\":1}", "rehearsal-5"),
                    post("/run", "{\"fail\":1}", "rehearsal-6"));
            boolean passed = count(answers, "HTTP/1.1 200 OK") == 10;
            if (!passed) {
                Diagnostics.log("rehearsal answered otherwise than expected; serving anyway:\n" + answers);
            }
            return passed;
        } catch (IOException | RuntimeException e) {
            Diagnostics.log("rehearsal failed; serving anyway", e);
            return false;
        } finally {
            try {
                Environment.restore(before);
            } catch (IllegalStateException e) {
                Diagnostics.log("rehearsal could not put the environment back", e);
            }
        }
    }

    private static String init(String handler, Path code, String env) {
        return "{\"handler\":\"" + handler + "\",\"codeDir\":\"" + code + "\",\"functionName\":\"train\",\"functionVersion\":\"1\","
                + "\"memoryMb\":" + (Runtime.getRuntime().maxMemory() >> 20) + ",\"timeoutMs\":3000,\"env\":" + env + "}";
    }

    static void run() throws IOException {
        LogCapture capture = LogCapture.install();
        Path code = Files.createTempDirectory("hearth-train");
        try {
            String init = init("%s", code, "{\"HEARTH_TRAINING\":\"1\"}");
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
            if (Files.isDirectory(SAMPLE)) {
                answers = exchange(capture,
                        post("/init", init(SAMPLE_CLASS + "::handle", SAMPLE, "{}"), ""),
                        post("/run", "{\"name\":\"x\"}", "train-6"));
                expect(answers, "HTTP/1.1 200 OK", 2);
                expect(answers, "\"loader\":\"URLClassLoader\"", 1);
            }
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

    private static int count(String answers, String text) {
        int found = 0;
        for (int at = answers.indexOf(text); at >= 0; at = answers.indexOf(text, at + 1)) {
            found++;
        }
        return found;
    }

    private static void expect(String answers, String text, int times) {
        int found = count(answers, text);
        if (found != times) {
            throw new IllegalStateException("training run: expected " + times + " x '" + text + "', found " + found
                    + " in:\n" + answers);
        }
    }
}
