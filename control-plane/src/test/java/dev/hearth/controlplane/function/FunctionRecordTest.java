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
        return FunctionRecord.defined("id", "ada", "f", 2, upload, SETTINGS, BuildInfo.queued(CREATED, "cp1"), CREATED, CREATED, null);
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
    }

    @Test
    void spec_givesThePoolManagerTheWorkloadAndSettings() {
        var built = building().built(FunctionRecord.Status.READY, "out", 40, null);
        assertEquals(new FunctionSpec("id", "ada", "f", 2, new Workload.Source(Language.NODE, "index.handler", "out"),
                SETTINGS), built.spec());
        var image = new Workload.Image("hearth/example-http", Workload.Contract.HTTP);
        var imageFunction = FunctionRecord.defined("id2", "ada", "g", 1, new StoredWorkload.Image(image), SETTINGS, null, CREATED, CREATED, null);
        assertEquals(image, imageFunction.spec().workload());
        assertThrows(IllegalStateException.class, imageFunction::source);
    }

    @Test
    void targets_areTheServingVersionAndEveryAliasVersion_eachAskingTheFunctionsMinWarm() {
        var now = CREATED;
        var warm = new FunctionSettings(128, 3000, 2, Map.of(), false, 3);
        var function = FunctionRecord.defined("id", "ada", "f", 5, new StoredWorkload.Image(
                new Workload.Image("hearth/example-http", Workload.Contract.HTTP)), warm, null, now, now, null);
        assertEquals(java.util.Set.of(5L), function.targets());
        var aliased = function.withAliases(Map.of(
                "prod", new Alias("prod", 2, 4, 0.1, null, now),
                "beta", new Alias("beta", 5, 0, 0, null, now)));
        assertEquals(java.util.List.of(2L, 4L, 5L), java.util.List.copyOf(aliased.targets()));
        assertEquals(9, aliased.minWarmAsked(), "minWarm 3 for each of three versions");
    }

    @Test
    void under_takesTheFunctionsConcurrencyAndMinWarm_andKeepsItsOwnSettings() {
        var own = new FunctionSettings(256, 9000, 1, Map.of("A", "1"), true, 0);
        var head = new FunctionSettings(128, 3000, 7, Map.of(), false, 2);
        var image = new StoredWorkload.Image(new Workload.Image("hearth/example-http", Workload.Contract.HTTP));
        var old = FunctionRecord.defined("id", "ada", "f", 1, image, own, null, CREATED, CREATED, "first");
        var serving = FunctionRecord.defined("id", "ada", "f", 2, image, head, null, CREATED, CREATED, null);
        var merged = old.under(serving).settings();
        assertEquals(new FunctionSettings(256, 9000, 7, Map.of("A", "1"), true, 2), merged);
        assertEquals(0, old.under(serving).unkept().settings().minWarm());
        assertEquals("first", old.under(serving).description());
    }
}
