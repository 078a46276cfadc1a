package dev.hearth.poolmanager.nats;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
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

    /** How long a process waits between tries to reach the server at start. */
    static final Duration RETRY_AT_START = Duration.ofSeconds(1);

    private NatsLink() {}

    /** One try to connect. */
    @FunctionalInterface
    interface Attempt {
        Connection connect() throws IOException, InterruptedException;
    }

    /** Waits between tries: {@code Thread.sleep} in a process, a move of the ticker in a test. */
    @FunctionalInterface
    interface Pause {
        void pause(Duration length) throws InterruptedException;
    }

    /** Logs through SLF4J, once per outage rather than once per reconnect attempt. */
    private static final class Listener implements ConnectionListener, ErrorListener {
        private final String name;
        private final AtomicBoolean down = new AtomicBoolean();

        Listener(String name) {
            this.name = name;
        }

        @Override
        public void connectionEvent(Connection connection, Events event) {
            if (event == Events.DISCONNECTED && down.compareAndSet(false, true)) {
                log.warn("{} lost its NATS connection; reconnecting", name);
            } else if (event == Events.RECONNECTED && down.compareAndSet(true, false)) {
                log.info("{} reconnected to NATS at {}", name, connection.getConnectedUrl());
            }
        }

        @Override
        public void errorOccurred(Connection connection, String error) {
            log.warn("{}: NATS error: {}", name, error);
        }

        @Override
        public void exceptionOccurred(Connection connection, Exception exception) {
            if (!down.get()) {
                log.warn("{}: NATS connection problem: {}", name, exception.toString());
            }
        }

        @Override
        public void slowConsumerDetected(Connection connection, io.nats.client.Consumer consumer) {
            log.warn("{}: a NATS subscription is not keeping up; messages may be dropped", name);
        }
    }

    /**
     * @param url         one or more server URLs, comma-separated (credentials may be in them)
     * @param name        how the connection shows in the server's monitoring
     * @param waitAtStart how long to keep trying when the server is not up yet
     * @param nanos       a monotonic clock in nanoseconds ({@code System::nanoTime}) that wait is measured in
     */
    public static Connection connect(String url, String name, Duration waitAtStart, LongSupplier nanos) throws IOException {
        Options options = Options.builder()
                .servers(url.split(","))
                .connectionName(name)
                .maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(500))
                .connectionTimeout(Duration.ofSeconds(5))
                // A request nobody is subscribed to fails at once, so calls for a dead node go elsewhere.
                .reportNoResponders()
                .connectionListener(new Listener(name))
                .errorListener(new Listener(name))
                .build();
        return untilUp(url, () -> Nats.connect(options), waitAtStart, nanos, length -> Thread.sleep(length.toMillis()));
    }

    /** Tries {@code attempt} until it connects, pausing {@link #RETRY_AT_START} between tries, and fails once {@code waitAtStart} has passed. */
    static Connection untilUp(String url, Attempt attempt, Duration waitAtStart, LongSupplier nanos, Pause pause) throws IOException {
        long deadline = nanos.getAsLong() + waitAtStart.toNanos();
        while (true) {
            try {
                return attempt.connect();
            } catch (IOException e) {
                if (nanos.getAsLong() - deadline > 0) {
                    throw new IOException("cannot reach NATS at " + url + ": " + e.getMessage(), e);
                }
                log.info("waiting for NATS at {} ({})", url, e.getMessage());
                try {
                    pause.pause(RETRY_AT_START);
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
