package dev.hearth.controlplane.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Date;
import org.bson.Document;
import org.junit.jupiter.api.Test;

class BuildInfoTest {

    static final Instant ASKED = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void aBuildIsResumedOnlyByTheControlPlaneRunningIt() {
        BuildInfo mine = BuildInfo.queued(ASKED, "cp1");
        assertTrue(mine.resumedBy("cp1"));
        assertFalse(mine.resumedBy("cp2"), "another control plane sharing the store leaves it alone");
        BuildInfo old = new BuildInfo("building", "", Instant.EPOCH, Instant.EPOCH, null, false, null);
        assertTrue(old.resumedBy("cp2"), "a record from before builds named their node is resumed by whoever starts");
    }

    @Test
    void theNodeAndTheTimesSurviveTheStore() {
        BuildInfo queued = BuildInfo.queued(ASKED, "cp1");
        assertEquals(queued, BuildInfo.fromDocument(queued.toDocument()));
        BuildInfo ended = queued.started(ASKED.plusSeconds(30)).ended(true, "ok\n", ASKED.plusSeconds(32), false);
        assertEquals(ended, BuildInfo.fromDocument(ended.toDocument()));
    }

    @Test
    void theWaitIsReportedApartFromTheBuildersTime() {
        BuildInfo queued = BuildInfo.queued(ASKED, "cp1");
        var waiting = queued.view();
        assertEquals("queued", waiting.get("status"));
        assertFalse(waiting.containsKey("startedAt") || waiting.containsKey("queuedMs") || waiting.containsKey("durationMs"), waiting::toString);

        BuildInfo running = queued.started(ASKED.plusMillis(45_000));
        assertEquals("building", running.view().get("status"));
        assertEquals(45_000L, running.view().get("queuedMs"));

        var done = running.ended(false, "error\n", ASKED.plusMillis(47_000), false).view();
        assertEquals("failed", done.get("status"));
        assertEquals(45_000L, done.get("queuedMs"));
        assertEquals(2_000L, done.get("durationMs"), "the builder's own time, without the wait");
    }

    @Test
    void aRecordFromBeforeBuildsQueuedReadsAsNoWait() {
        var old = new Document("status", "succeeded").append("log", "").append("startedAt", Date.from(ASKED))
                .append("finishedAt", Date.from(ASKED.plusSeconds(2))).append("cached", false).append("node", "cp1");
        var view = BuildInfo.fromDocument(old).view();
        assertEquals(0L, view.get("queuedMs"));
        assertEquals(2_000L, view.get("durationMs"));
    }

    @Test
    void aBuildThatEndsMustHaveStarted() {
        BuildInfo queued = BuildInfo.queued(ASKED, "cp1");
        assertThrows(IllegalStateException.class, () -> queued.ended(true, "", ASKED, false));
        assertThrows(IllegalArgumentException.class, () -> new BuildInfo("building", "", ASKED, null, null, false, null));
        assertThrows(IllegalArgumentException.class, () -> new BuildInfo("sleeping", "", ASKED, ASKED, null, false, null));
    }
}
