package dev.hearth.controlplane.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hearth.poolmanager.FunctionSettings;
import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.Workload;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionRecordTest {

    static final FunctionSettings SETTINGS = new FunctionSettings(256, 5000, 4, Map.of("K", "v"), true, 2);
    static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    static FunctionRecord building() {
        var upload = new ValidFunction.Upload(Language.NODE, "index.handler", new byte[100], true).stored("src");
        return FunctionRecord.defined("id", "ada", "f", 2, upload, SETTINGS, BuildInfo.queued(CREATED, "cp1"), CREATED);
    }

    @Test
    void defined_waitsOnItsBuild_andAnUploadThatNeedsNoneRunsAsItIs() {
        assertEquals(FunctionRecord.Status.BUILDING, building().status());
        assertNull(building().source().codeSha256());
        var ready = new ValidFunction.Upload(Language.PYTHON, "main.handler", new byte[10], false).stored("d");
        assertEquals(new StoredWorkload.Source(Language.PYTHON, "main.handler", "d", 10, "d", 10), ready);
    }

    @Test
    void built_changesOnlyTheCodeThatRuns_statusAndBuild() {
        var info = BuildInfo.queued(CREATED, "cp1").started(CREATED).ended(true, "ok", CREATED.plusSeconds(1), false);
        FunctionRecord built = building().withPending(building()).built(FunctionRecord.Status.READY, "out", 40, info);
        assertEquals(new StoredWorkload.Source(Language.NODE, "index.handler", "src", 100, "out", 40), built.workload());
        assertEquals(SETTINGS, built.settings());
        assertEquals(FunctionRecord.Status.READY, built.status());
        assertEquals(info, built.build());
        assertNull(built.pending());
        assertEquals(140, built.storedBytes(), "the upload and the build's output");
    }

    @Test
    void spec_givesThePoolManagerTheWorkloadAndSettings() {
        var built = building().built(FunctionRecord.Status.READY, "out", 40, null);
        assertEquals(new FunctionSpec("id", "ada", "f", 2, new Workload.Source(Language.NODE, "index.handler", "out"),
                SETTINGS), built.spec());
        var image = new Workload.Image("hearth/example-http", Workload.Contract.HTTP);
        var imageFunction = FunctionRecord.defined("id2", "ada", "g", 1, new StoredWorkload.Image(image), SETTINGS, null, CREATED);
        assertEquals(image, imageFunction.spec().workload());
        assertEquals(0, imageFunction.storedBytes());
        assertThrows(IllegalStateException.class, imageFunction::source);
    }
}
