package dev.hearth.poolmanager.nats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.poolmanager.CodeSource;
import io.nats.client.Connection;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Code archives over a real nats-server: several chunks, a missing digest, nobody serving. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CodeTransferIntegrationTest {

    @TempDir
    static Path dir;
    Process server;
    Connection controlPlane;
    Connection node;

    @BeforeAll
    void start() throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String binary = Files.isExecutable(Path.of("/usr/sbin/nats-server")) ? "/usr/sbin/nats-server" : "nats-server";
        server = new ProcessBuilder(binary, "-a", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(dir.resolve("nats.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try (var probe = new Socket("127.0.0.1", port)) {
                break;
            } catch (IOException e) {
                assertTrue(server.isAlive() && System.nanoTime() < deadline, "nats-server did not start: " + Files.readString(dir.resolve("nats.log")));
                Thread.sleep(100);
            }
        }
        controlPlane = NatsLink.connect("nats://127.0.0.1:" + port, "test-control-plane", Duration.ofSeconds(5));
        node = NatsLink.connect("nats://127.0.0.1:" + port, "test-node", Duration.ofSeconds(5));
    }

    @AfterAll
    void stop() throws Exception {
        node.close();
        controlPlane.close();
        server.destroy();
        server.waitFor(10, TimeUnit.SECONDS);
    }

    @Test
    void anArchiveOfSeveralChunks_arrivesWhole_andAMissingOneIsNotFound() throws Exception {
        byte[] archive = new byte[CodeTransfer.CHUNK_BYTES * 2 + 12_345];
        new Random(7).nextBytes(archive);
        Map<String, byte[]> store = Map.of("a".repeat(64), archive, "e".repeat(64), new byte[0]);
        CodeSource source = digest -> {
            byte[] bytes = store.get(digest);
            if (bytes == null) {
                throw new FileNotFoundException(digest);
            }
            return new ByteArrayInputStream(bytes);
        };
        try (AutoCloseable serving = CodeTransfer.serve(controlPlane, source)) {
            controlPlane.flush(Duration.ofSeconds(2));
            CodeSource fetcher = CodeTransfer.fetcher(node);
            try (InputStream in = fetcher.open("a".repeat(64))) {
                assertArrayEquals(archive, in.readAllBytes());
            }
            try (InputStream in = fetcher.open("e".repeat(64))) {
                assertArrayEquals(new byte[0], in.readAllBytes());
            }
            try (InputStream in = fetcher.open("b".repeat(64))) {
                assertThrows(FileNotFoundException.class, in::readAllBytes);
            }
        }
        controlPlane.flush(Duration.ofSeconds(2));
        try (InputStream in = CodeTransfer.fetcher(node).open("a".repeat(64))) {
            IOException nobody = assertThrows(IOException.class, in::readAllBytes);
            assertTrue(nobody.getMessage().contains("no control plane"), nobody.getMessage());
        }
    }
}
