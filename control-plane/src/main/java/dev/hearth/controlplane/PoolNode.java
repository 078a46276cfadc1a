package dev.hearth.controlplane;

import dev.hearth.controlplane.http.HttpServer;
import dev.hearth.controlplane.store.DataFolder;
import dev.hearth.poolmanager.nats.CodeTransfer;
import dev.hearth.poolmanager.nats.NatsLink;
import dev.hearth.poolmanager.nats.NodeServer;
import dev.hearth.poolmanager.pool.LocalPoolManager;
import io.nats.client.Connection;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pool-manager node of a distributed deployment: this host's warm pools, served on NATS, with
 * code fetched from the control planes by digest and cached under {@code HEARTH_DATA/run/<node>};
 * no database. {@code GET /healthz} on {@code HEARTH_PORT} shows its containers.
 */
public final class PoolNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PoolNode.class);

    private final Deque<AutoCloseable> started;
    private final int port;

    private PoolNode(Deque<AutoCloseable> started, int port) {
        this.started = started;
        this.port = port;
    }

    public static PoolNode start(HearthConfig config) throws IOException {
        if (!config.distributed()) {
            throw new IllegalArgumentException("a pool-manager node needs HEARTH_NATS_URL");
        }
        String node = config.pool().nodeId();
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            DataFolder.ownerOnlyFolder(config.dataDir());
            Connection nats = NatsLink.connect(config.natsUrl(), "hearth-pool-manager-" + node, NatsLink.WAIT_AT_START, System::nanoTime);
            started.push(nats);
            LocalPoolManager pool = LocalPoolManager.start(config.pool(), CodeTransfer.fetcher(nats), Clock.systemUTC());
            started.push(pool);
            HttpServer http = HttpServer.start(config.bind(), config.port(), config.http().withWorkerThreads(4), List.of(new HealthRoutes(pool)::register));
            started.push(http);
            // Last: once subscribed, calls arrive.
            started.push(NodeServer.start(nats, pool, node, NatsLink.HEARTBEAT));
            log.info("pool-manager node {} up (health on http://{}:{}/healthz)", node, config.bind(), http.port());
            return new PoolNode(started, http.port());
        } catch (IOException | RuntimeException e) {
            Hearth.closeAll(started);
            throw e;
        }
    }

    public int port() {
        return port;
    }

    /** Stops taking calls, lets those in flight finish, then removes this node's containers. */
    @Override
    public void close() {
        Hearth.closeAll(started);
        log.info("pool-manager node stopped");
    }
}
