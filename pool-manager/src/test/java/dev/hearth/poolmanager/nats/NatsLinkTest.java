package dev.hearth.poolmanager.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.poolmanager.fakes.FakeTicker;
import io.nats.client.Connection;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The wait for the server at start, on a ticker the pauses move: no server, no real seconds. */
class NatsLinkTest {

    static final Duration WAIT = Duration.ofSeconds(5);

    final FakeTicker ticker = new FakeTicker();
    final List<Duration> pauses = new ArrayList<>();
    final NatsLink.Pause pause = length -> {
        pauses.add(length);
        ticker.advance(length);
    };
    final Connection connection = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
            (proxy, method, args) -> null);

    @Test
    void untilUp_retriesEverySecond_untilTheServerAnswers() throws Exception {
        AtomicInteger tries = new AtomicInteger();

        Connection connected = NatsLink.untilUp("nats://x", () -> {
            if (tries.incrementAndGet() < 3) {
                throw new ConnectException("connection refused");
            }
            return connection;
        }, WAIT, ticker, pause);

        assertSame(connection, connected);
        assertEquals(3, tries.get());
        assertEquals(List.of(NatsLink.RETRY_AT_START, NatsLink.RETRY_AT_START), pauses);
    }

    @Test
    void untilUp_givesUpOnceTheWaitHasPassed_namingTheServer() {
        AtomicInteger tries = new AtomicInteger();

        IOException failed = assertThrows(IOException.class, () -> NatsLink.untilUp("nats://x", () -> {
            tries.incrementAndGet();
            throw new ConnectException("connection refused");
        }, WAIT, ticker, pause));

        assertTrue(failed.getMessage().startsWith("cannot reach NATS at nats://x: connection refused"), failed.getMessage());
        assertEquals(7, tries.get(), "a try at 0 s and after each second's pause; the one at 5 s is not past the wait, the one at 6 s is");
        assertEquals(6, pauses.size());
    }

    @Test
    void untilUp_stopsWaiting_whenInterrupted() {
        IOException failed = assertThrows(IOException.class, () -> NatsLink.untilUp("nats://x", () -> {
            throw new ConnectException("connection refused");
        }, WAIT, ticker, length -> {
            throw new InterruptedException();
        }));

        assertEquals("interrupted while waiting for NATS", failed.getMessage());
        assertTrue(Thread.interrupted(), "the interrupt is kept for the caller (and cleared here)");
    }
}
