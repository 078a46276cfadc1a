package dev.hearth.poolmanager.nats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.poolmanager.code.CodeSource;
import io.nats.client.Connection;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
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
    NatsServer server;
    Connection controlPlane;
    Connection node;

    @BeforeAll
    void start() throws Exception {
        server = NatsServer.start(dir);
        controlPlane = NatsLink.connect(server.url(), "test-control-plane", Duration.ofSeconds(5), System::nanoTime);
        node = NatsLink.connect(server.url(), "test-node", Duration.ofSeconds(5), System::nanoTime);
    }

    @AfterAll
    void stop() throws Exception {
        node.close();
        controlPlane.close();
        server.close();
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
