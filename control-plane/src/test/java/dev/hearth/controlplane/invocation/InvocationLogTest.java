package dev.hearth.controlplane.invocation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hearth.controlplane.OwnStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The invocation log's reads while its writer moves records from memory to the store. */
class InvocationLogTest {

    @Test
    void recent_listsEveryRecordedInvocation_whileTheWriterMovesThemToTheStore() {
        Instant now = Instant.now();
        try (OwnStore store = OwnStore.start();
             InvocationLog log = new InvocationLog(store.database(), Duration.ofDays(1), Clock.systemUTC())) {
            for (int i = 1; i <= 400; i++) {
                log.record(new InvocationRecord("inv-" + i, "rita", "fn-1", "f", 1, null, "warm", "node-1", 0, 1, 2,
                        "succeeded", null, null, "", now.plusMillis(i)));
                assertEquals(i, log.recent("fn-1", InvocationLog.Filter.ALL, 1_000).size(),
                        "a record being written is in neither place for a moment");
            }
        }
    }
}
