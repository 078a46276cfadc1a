package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The folder a container shares with the host, attacked from inside: the host never connects to
 * a socket the function swapped in, the function cannot write to the host past the documented cap,
 * and containers run as a uid no host account has.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainerBoundaryIntegrationTest {

    @TempDir
    static Path outside;
    @RegisterExtension
    static HearthExtension hearth = HearthExtension.warm().with("HEARTH_POOL_PYTHON", "2");
    Api api;
    String token;
    Decoy decoy;
    /** Hearth's data folder: no answer may show it. */
    Path data;

    @BeforeAll
    void start() throws Exception {
        data = hearth.data();
        api = hearth.api();
        token = api.userWithToken("mallory");
        decoy = new Decoy(outside.resolve("decoy.sock"));
    }

    @AfterAll
    void stop() throws IOException {
        decoy.close();
    }

    private String python(String code) {
        String name = "f-" + UUID.randomUUID().toString().substring(0, 8);
        Api.Reply created = api.post("/v1/functions", token, Api.pythonSource(name, code).put("timeoutMs", 20_000));
        assertEquals(201, created.status(), created::toString);
        return name;
    }

    /**
     * The attack: put a link to a socket of the attacker's choosing (here the test's decoy, a host
     * path) where the agent's socket is, by any means, then close the host's kept-alive connection
     * after the answer so that the host has to connect again by path.
     */
    static final String SWAP_SOCKET = """
            import errno, gc, os, socket, threading, time

            def attempt(action):
                try:
                    action()
                    return "done"
                except OSError as e:
                    return errno.errorcode.get(e.errno, str(e.errno))

            def drop_host_connections():
                time.sleep(0.3)
                for o in gc.get_objects():
                    if isinstance(o, socket.socket) and o.family == socket.AF_UNIX and o.fileno() >= 0:
                        try:
                            if not o.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN):
                                o.shutdown(socket.SHUT_RDWR)
                        except OSError:
                            pass

            def handler(event, context):
                if event.get("probe"):
                    return "the agent answered"
                results = {
                    "symlink": attempt(lambda: os.symlink(event["decoy"], "/run/hearth/evil.sock")),
                    "rename": attempt(lambda: os.rename("/run/hearth/agent.sock", "/run/hearth/moved.sock")),
                    "unlink": attempt(lambda: os.unlink("/run/hearth/agent.sock")),
                    "bind": attempt(lambda: socket.socket(socket.AF_UNIX).bind("/run/hearth/other.sock")),
                }
                threading.Thread(target=drop_host_connections, daemon=True).start()
                return results
            """;

    @Test
    void swappedSocket_getsNoConnectionFromTheHost() throws Exception {
        String name = python(SWAP_SOCKET);
        Api.Reply attack = api.invoke(token, name, "{\"decoy\":\"" + decoy.path + "\"}");
        assertEquals(200, attack.status(), attack::toString);
        JsonNode results = attack.json();
        for (String step : new String[] {"symlink", "rename", "unlink", "bind"}) {
            assertEquals("EACCES", results.get(step).asText(), step + ": " + attack.text());
        }
        Thread.sleep(600); // the function's thread has dropped the host's connection by now
        Api.Reply next = api.invoke(token, name, "{\"probe\":true}");
        assertEquals(200, next.status(), next::toString);
        assertEquals("\"the agent answered\"", next.text());
        assertEquals(0, decoy.accepted.get(), "the host connected to the decoy");
    }

    /** An http image is tenant code from its first instruction; its server runs this before it serves. */
    private String hostileImage(String mode) throws IOException {
        String server = """
                import http.server, json, os, socket, socketserver, time
                SOCKET = "/run/hearth/agent.sock"
                written = 0
                if os.environ["MODE"] == "symlink":
                    os.symlink(os.environ["DECOY"], SOCKET)
                    time.sleep(3600)
                if os.environ["MODE"] == "fill":
                    fd = os.open("/run/hearth/fill", os.O_WRONLY | os.O_CREAT, 0o600)
                    chunk = b"x" * (1024 * 1024)
                    try:
                        for _ in range(300):
                            written += os.write(fd, chunk)
                    except OSError:
                        pass
                    os.close(fd)

                class Handler(http.server.BaseHTTPRequestHandler):
                    protocol_version = "HTTP/1.1"
                    def do_GET(self):
                        self.answer({"ready": True})
                    def do_POST(self):
                        self.rfile.read(int(self.headers.get("Content-Length", 0)))
                        after = "done"
                        try:
                            with open("/run/hearth/more", "wb") as f:
                                f.write(b"y" * 4096)
                        except OSError as e:
                            after = e.strerror
                        self.answer({"written": written, "writeAfterReady": after})
                    def answer(self, result):
                        body = json.dumps(result).encode()
                        self.send_response(200)
                        self.send_header("Content-Type", "application/json")
                        self.send_header("Content-Length", str(len(body)))
                        self.end_headers()
                        self.wfile.write(body)
                    def log_message(self, *args):
                        pass

                class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
                    daemon_threads = True

                server = Server(SOCKET + ".tmp", Handler)
                os.rename(SOCKET + ".tmp", SOCKET)
                server.serve_forever()
                """;
        String encoded = Base64.getEncoder().encodeToString(server.getBytes(StandardCharsets.UTF_8));
        String image = Docker.buildImage("hearth-test/hostile-http", """
                FROM hearth/example-http
                USER root
                RUN echo %s | base64 -d > /app/hostile.py
                ENTRYPOINT ["python3", "-I", "/app/hostile.py"]
                """.formatted(encoded));
        String name = "img-" + mode;
        var body = Api.image(name, image, "http");
        body.putObject("env").put("MODE", mode).put("DECOY", decoy.path.toString());
        Api.Reply created = api.post("/v1/functions", token, body);
        assertEquals(201, created.status(), created::toString);
        return name;
    }

    @Test
    void imageWhoseSocketIsALink_isNeverConnectedTo() throws Exception {
        String name = hostileImage("symlink");
        Api.Reply reply = api.invoke(token, name, "{}");
        assertEquals(502, reply.status(), reply::toString);
        assertEquals("function_crashed", reply.errorType());
        assertTrue(reply.text().contains("not a socket the container created"), reply::toString);
        assertFalse(reply.text().contains(data.toString()), "no host path in the answer: " + reply.text());
        assertEquals(0, decoy.accepted.get(), "the host connected to the decoy");
    }

    @Test
    void writingOutsideTmp_stopsAtTheCap() {
        String name = python(HostileCode.FILL + """

                def handler(event, context):
                    return fill(["/run/hearth/fill", "/run/hearth/code/fill", "/fill", "/var/tmp/fill", "/run/fill", "/dev/shm/fill"])
                """);
        Api.Reply reply = api.invoke(token, name, "{}");
        assertEquals(200, reply.status(), reply::toString);
        // /dev/shm is a tmpfs in the container's memory, sized like /tmp (HEARTH_CONTAINER_TMP_MB).
        var written = (com.fasterxml.jackson.databind.node.ObjectNode) reply.json();
        assertTrue(written.remove("/dev/shm/fill").asLong() <= 64L * 1024 * 1024, reply::toString);
        written.fields().forEachRemaining(e -> assertEquals(0, e.getValue().asLong(), e.getKey() + ": " + reply.text()));
    }

    @Test
    void imageWritingBeforeItsSocket_stopsAtTheImageCap() throws Exception {
        String name = hostileImage("fill");
        Api.Reply reply = api.invoke(token, name, "{}");
        assertEquals(200, reply.status(), reply::toString);
        long written = reply.json().get("written").asLong();
        assertTrue(written <= 256 * 1024, "wrote " + written + " bytes to /run/hearth");
        assertEquals("Permission denied", reply.json().get("writeAfterReady").asText(), reply::toString);
    }

    @Test
    void containers_runAsAUidNoHostAccountHas() throws Exception {
        String name = python("import os\ndef handler(e, c):\n    return [os.getuid(), os.getgid()]\n");
        Api.Reply reply = api.invoke(token, name, "{}");
        int uid = HearthConfig.DEFAULT_CONTAINER_UID;
        assertEquals("[" + uid + "," + uid + "]", reply.text());
        for (String file : new String[] {"/etc/passwd", "/etc/group"}) {
            for (String line : Files.readAllLines(Path.of(file))) {
                String[] fields = line.split(":");
                assertFalse(fields.length > 2 && fields[2].equals(Integer.toString(uid)), file + " has " + line);
            }
        }
    }

    @Test
    void aContainerUidThatIsAHostAccount_isRefusedAtStart() {
        var env = TestHearth.settings(outside.resolve("refused"));
        env.put("HEARTH_CONTAINER_UID", "65534"); // nobody, on every Debian
        var refused = assertThrows(IllegalStateException.class, () -> TestHearth.start(env));
        assertTrue(refused.getMessage().contains("65534") && refused.getMessage().contains("belongs to"), refused.getMessage());
    }

    /** A Unix socket on the host that counts the connections it gets. */
    static final class Decoy implements AutoCloseable {
        final Path path;
        final AtomicInteger accepted = new AtomicInteger();
        private final ServerSocketChannel server;

        Decoy(Path path) throws IOException {
            this.path = path;
            this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            Thread acceptor = new Thread(() -> {
                while (server.isOpen()) {
                    try (var ignored = server.accept()) {
                        accepted.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "decoy");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
