package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Builders and egress functions sit on the network Hearth makes: one tenant's egress container
 * cannot reach another's, neither reaches a service of the host on that network's gateway, and a
 * build script cannot either, while builds still download from the registries. Every connection
 * here goes to a Hearth container or to the gateway of the bridge Hearth created.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EgressNetworkIntegrationTest {

    static final String NETWORK = "hearth-egress";

    /**
     * Starts a TCP listener thread on its first call (it stays up while the container is warm),
     * answers where it listens, or tries a connection to {@code host:port} with a 2 s timeout.
     */
    static final String PROBE = """
            import socket, threading
            state = {}

            def serve(srv):
                while True:
                    conn, _ = srv.accept()
                    conn.sendall(b"hello")
                    conn.close()

            def connect(host, port):
                s = socket.socket()
                s.settimeout(2)
                try:
                    s.connect((host, port))
                    return {"connected": True, "got": s.recv(16).decode()}
                except OSError as e:
                    return {"connected": False, "error": type(e).__name__}
                finally:
                    s.close()

            def handler(event, context):
                if event.get("host"):
                    return connect(event["host"], event["port"])
                if "srv" not in state:
                    srv = socket.socket()
                    srv.bind(("0.0.0.0", 0))
                    srv.listen(8)
                    state["srv"] = srv
                    threading.Thread(target=serve, args=(srv,), daemon=True).start()
                return {"ip": socket.gethostbyname(socket.gethostname()), "port": state["srv"].getsockname()[1]}
            """;

    @RegisterExtension
    static HearthExtension hearth = HearthExtension.warm().with("HEARTH_POOL_PYTHON", "1");
    Api api;
    String node;
    String alice;
    String bob;

    @BeforeAll
    void start() {
        node = hearth.nodeId();
        api = hearth.api();
        alice = api.userWithToken("alice");
        bob = api.userWithToken("bob");
    }

    private void createEgressProbe(String token, String name) {
        var body = Api.pythonSource(name, PROBE).put("network", "egress").put("timeoutMs", 10_000);
        Api.Reply created = api.post("/v1/functions", token, body);
        assertEquals(201, created.status(), created::toString);
    }

    private JsonNode call(String token, String name, String event) {
        Api.Reply reply = api.invoke(token, name, event);
        assertEquals(200, reply.status(), reply::toString);
        return reply.json();
    }

    private static String connectTo(String host, int port) {
        return "{\"host\":\"" + host + "\",\"port\":" + port + "}";
    }

    /** The address the host has on the network Hearth created: the only host address a test may listen on. */
    private static String gateway() {
        var network = Docker.CLIENT.inspectNetworkCmd().withNetworkId(NETWORK).exec();
        return network.getIpam().getConfig().get(0).getGateway();
    }

    /** A service of the host's, listening on the egress network's gateway, counting the connections it accepts. */
    private static final class HostService implements AutoCloseable {
        final ServerSocket socket;
        final AtomicInteger accepted = new AtomicInteger();

        HostService(String address) throws IOException {
            socket = new ServerSocket(0, 8, InetAddress.getByName(address));
            Thread acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket ignored = socket.accept()) {
                        accepted.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "test-host-service");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void egressContainer_cannotConnectToAnotherTenantsEgressContainer() {
        createEgressProbe(alice, "listener");
        createEgressProbe(bob, "intruder");
        JsonNode listening = call(alice, "listener", "{}");
        String ip = listening.get("ip").asText();
        int port = listening.get("port").asInt();

        JsonNode own = call(alice, "listener", connectTo(ip, port));
        assertEquals(true, own.get("connected").asBoolean(), "positive control: the listener answers " + own);

        JsonNode intruded = call(bob, "intruder", connectTo(ip, port));
        assertEquals(false, intruded.get("connected").asBoolean(), "another tenant's container connected: " + intruded);

        JsonNode still = call(alice, "listener", "{}");
        assertEquals(listening, still, "the listener's container stayed warm and listening throughout");
    }

    @Test
    void egressContainer_cannotReachAHostServiceOnTheGateway() throws Exception {
        createEgressProbe(bob, "gateway-probe");
        try (var service = new HostService(gateway())) {
            JsonNode probed = call(bob, "gateway-probe", connectTo(gateway(), service.port()));
            assertEquals(false, probed.get("connected").asBoolean(), "reached the host: " + probed);
            assertEquals(0, service.accepted.get(), "the host service accepted a connection from a function");
        }
    }

    @Test
    void egressContainers_areOnHearthsNetwork_andPooledOnesOnNone() {
        createEgressProbe(alice, "where");
        call(alice, "where", "{}");
        List<Container> containers = Docker.containersOf(node);
        int egress = 0;
        for (Container container : containers) {
            InspectContainerResponse inspected = Docker.CLIENT.inspectContainerCmd(container.getId()).exec();
            String mode = inspected.getHostConfig().getNetworkMode();
            Set<String> networks = inspected.getNetworkSettings().getNetworks().keySet();
            assertTrue(mode.equals("none") || mode.equals(NETWORK), container.getNames()[0] + " is on " + mode);
            // An offline container joins nothing (the engine lists "none" or nothing at all).
            assertTrue(mode.equals("none") ? Set.of("none").containsAll(networks) : networks.equals(Set.of(NETWORK)),
                    container.getNames()[0] + " joined " + networks);
            egress += mode.equals(NETWORK) ? 1 : 0;
        }
        assertTrue(egress >= 1, "no egress container among " + containers.size());
        var network = Docker.CLIENT.inspectNetworkCmd().withNetworkId(NETWORK).exec();
        assertEquals("false", network.getOptions().get("com.docker.network.bridge.enable_icc"));
        assertEquals("egress", network.getLabels().get("dev.hearth.network"));
    }

    @Test
    void buildScript_cannotReachTheHost_whileRegistryDependenciesInstall_inAHardenedBuilder() throws Exception {
        try (var service = new HostService(gateway())) {
            // npm runs the package's own preinstall script: tenant code in the builder, as a hostile package would.
            String probe = """
                    const fs = require('fs');
                    const net = require('net');
                    const { execFileSync } = require('child_process');
                    let tmpExec;
                    fs.writeFileSync('/tmp/run.sh', '#!/bin/sh\\necho ran\\n', { mode: 0o755 });
                    try { execFileSync('/tmp/run.sh'); tmpExec = true; } catch (e) { tmpExec = false; }
                    const report = (connected, error) => {
                      fs.writeFileSync('probe.json', JSON.stringify({ connected, error, tmpExec }));
                      process.exit(0);
                    };
                    const socket = net.connect({ host: '%s', port: %d, timeout: 3000 });
                    socket.on('connect', () => report(true, null));
                    socket.on('timeout', () => report(false, 'timeout'));
                    socket.on('error', (e) => report(false, e.code));
                    """.formatted(gateway(), service.port());
            var body = Api.archive("build-probe", "node", "index.handler", Map.of(
                    "package.json", """
                            {"name": "build-probe", "version": "1.0.0", "scripts": {"preinstall": "node probe.js"},
                             "dependencies": {"is-number": "7.0.0"}}
                            """,
                    "probe.js", probe,
                    "index.js", "const isNumber = require('is-number');\n"
                            + "exports.handler = async () => ({ probe: require('./probe.json'), isNumber: isNumber(5) });\n"));
            Api.Reply created = api.post("/v1/functions", alice, body);
            assertEquals(202, created.status(), created::toString);

            AtomicReference<InspectContainerResponse> builder = new AtomicReference<>();
            Docker.eventually(Duration.ofSeconds(120), () -> {
                for (Container c : Docker.containersOf(node)) {
                    if ("build".equals(c.getLabels().get("dev.hearth.role"))) {
                        builder.set(Docker.CLIENT.inspectContainerCmd(c.getId()).exec());
                        return true;
                    }
                }
                return !"building".equals(api.get("/v1/functions/build-probe", alice).json().get("status").asText());
            });
            JsonNode built = api.awaitBuilt(alice, "build-probe");
            assertEquals("ready", built.get("status").asText(), () -> api.get("/v1/functions/build-probe/build", alice).text());

            JsonNode result = call(alice, "build-probe", "{}");
            assertEquals(true, result.get("isNumber").asBoolean(), "the registry dependency was installed: " + result);
            assertEquals(false, result.get("probe").get("connected").asBoolean(), "the build script reached the host: " + result);
            assertFalse(result.get("probe").get("tmpExec").asBoolean(), "a file in the builder's /tmp ran: " + result);
            assertEquals(0, service.accepted.get(), "the host service accepted a connection from a build");

            assertNotNull(builder.get(), "the builder container was never seen while it ran");
            var host = builder.get().getHostConfig();
            assertEquals(NETWORK, host.getNetworkMode());
            assertEquals(Set.of(NETWORK), builder.get().getNetworkSettings().getNetworks().keySet());
            assertEquals(Boolean.TRUE, host.getInit());
            assertEquals(256L, host.getPidsLimit());
            String tmp = host.getTmpFs().get("/tmp");
            assertTrue(Set.of(tmp.split(",")).containsAll(Set.of("noexec", "nosuid", "nodev", "size=512m")), tmp);
        }
    }
}
