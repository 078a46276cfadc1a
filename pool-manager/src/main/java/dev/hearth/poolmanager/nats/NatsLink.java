package dev.hearth.poolmanager.nats;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Connects a Hearth process to NATS: waits for the server at start, then reconnects for as long as it runs. */
public final class NatsLink {

    private static final Logger log = LoggerFactory.getLogger(NatsLink.class);
    /** How often a node announces itself. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(1);
    /** A node silent this long (three heartbeats) is taken for dead. */
    public static final Duration DEAD_AFTER = HEARTBEAT.multipliedBy(3);
    /** How long a process waits for the NATS server at start. */
    public static final Duration WAIT_AT_START = Duration.ofSeconds(30);

    private NatsLink() {}

    /**
     * @param url         one or more server URLs, comma-separated (credentials may be in them)
     * @param name        how the connection shows in the server's monitoring
     * @param waitAtStart how long to keep trying when the server is not up yet
     */
    public static Connection connect(String url, String name, Duration waitAtStart) throws IOException {
        Options options = Options.builder()
                .servers(url.split(","))
                .connectionName(name)
                .maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(500))
                .connectionTimeout(Duration.ofSeconds(5))
                // A request nobody is subscribed to fails at once, so calls for a dead node go elsewhere.
                .reportNoResponders()
                .connectionListener((conn, event) -> {
                    if (event == ConnectionListener.Events.DISCONNECTED || event == ConnectionListener.Events.RECONNECTED) {
                        log.warn("NATS connection {}: {}", name, event);
                    }
                })
                .build();
        long deadline = System.nanoTime() + waitAtStart.toNanos();
        while (true) {
            try {
                return Nats.connect(options);
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("cannot reach NATS at " + url + ": " + e.getMessage(), e);
                }
                log.info("waiting for NATS at {} ({})", url, e.getMessage());
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for NATS", interrupted);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while connecting to NATS", e);
            }
        }
    }
}
