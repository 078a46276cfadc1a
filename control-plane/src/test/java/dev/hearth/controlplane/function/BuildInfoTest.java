package dev.hearth.controlplane.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class BuildInfoTest {

    @Test
    void aBuildIsResumedOnlyByTheControlPlaneRunningIt() {
        BuildInfo mine = BuildInfo.started(Instant.parse("2026-11-22T10:00:00Z"), "cp1");
        assertTrue(mine.resumedBy("cp1"));
        assertFalse(mine.resumedBy("cp2"), "another control plane sharing the store leaves it alone");
        BuildInfo old = new BuildInfo("building", "", Instant.EPOCH, null, false, null);
        assertTrue(old.resumedBy("cp2"), "a record from before builds named their node is resumed by whoever starts");
    }

    @Test
    void theNodeSurvivesTheStore() {
        BuildInfo info = BuildInfo.started(Instant.parse("2026-11-22T10:00:00Z"), "cp1");
        assertEquals(info, BuildInfo.fromDocument(info.toDocument()));
    }
}
