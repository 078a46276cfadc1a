package dev.hearth.poolmanager.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hearth.poolmanager.FunctionSettings;
import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.FunctionSpec.VersionKey;
import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.Workload;
import dev.hearth.poolmanager.fakes.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The reconciler with a real {@link Placement} on a fake ticker; preparations are recorded, not sent. Rounds are run by hand. */
class ProvisionReconcilerTest {

    final FakeTicker nanos = new FakeTicker();
    final Placement placement = new Placement(Duration.ofSeconds(3), nanos::getAsLong);
    final List<String> prepared = new ArrayList<>();
    final ProvisionReconciler reconciler = new ProvisionReconciler(placement,
            (node, function) -> prepared.add(node + ":" + function.id() + "@" + function.version()));

    @AfterEach
    void close() {
        reconciler.close();
    }

    static FunctionSpec kept(String id, long version) {
        return new FunctionSpec(id, "owner", id, version, new Workload.Source(Language.PYTHON, "main.handler", "a".repeat(64)),
                new FunctionSettings(128, 1_000, 0, Map.of(), false, 2));
    }

    static Wire.Announcement node(String id, List<Wire.Idle> kept) {
        return new Wire.Announcement(id, 0, true, 10, 0, 0, Map.of(), Map.of(), List.of(), kept, false);
    }

    @Test
    void keep_preparesOnOneNode_andNotAgainBeforeThatNodeAnnouncesIt() {
        placement.announced(node("a", List.of()));

        reconciler.keep(kept("f", 1));
        reconciler.reconcile();
        reconciler.reconcile();

        assertEquals(List.of("a:f@1"), prepared);
        assertEquals(Set.of(new VersionKey("f", 1)), placement.totals().kept(), "Placement counts it as kept at once");
    }

    @Test
    void aVersionALiveNodeAnnouncesAsKept_isNotPreparedAgain() {
        placement.announced(node("a", List.of(new Wire.Idle("f", 1, 0))));
        placement.announced(node("b", List.of()));

        reconciler.keep(kept("f", 1));
        reconciler.reconcile();

        assertEquals(List.of(), prepared);
    }

    @Test
    void aLostNodesVersion_isPreparedOnAnotherLiveNode() {
        placement.announced(node("a", List.of()));
        reconciler.keep(kept("f", 1));
        placement.announced(node("a", List.of(new Wire.Idle("f", 1, 0))));

        nanos.advance(Duration.ofSeconds(2));
        placement.announced(node("b", List.of()));
        nanos.advance(Duration.ofSeconds(2)); // a is silent past deadAfter; b is not
        reconciler.reconcile();

        assertEquals(List.of("a:f@1", "b:f@1"), prepared);
    }

    @Test
    void withNoNodeYet_theNextRoundAfterOneAnnouncesPreparesIt() {
        reconciler.keep(kept("f", 1));
        assertEquals(List.of(), prepared);

        placement.announced(node("a", List.of()));
        reconciler.reconcile();

        assertEquals(List.of("a:f@1"), prepared);
    }

    @Test
    void droppedFunctionsAndRetiredVersions_areNoLongerKept() {
        reconciler.keep(kept("gone", 1));
        reconciler.keep(kept("gone", 2));
        reconciler.dropFunction("gone");
        reconciler.keep(kept("f", 1));
        reconciler.keep(kept("f", 2));
        reconciler.keep(kept("f", 3));
        reconciler.drop(new VersionKey("f", 1));
        reconciler.drop(new VersionKey("f", 3));

        placement.announced(node("a", List.of()));
        reconciler.reconcile();

        assertEquals(List.of("a:f@2"), prepared);
    }

    @Test
    void twoVersionsOfOneFunction_areKeptIndependently() {
        placement.announced(node("a", List.of()));
        reconciler.keep(kept("f", 1));
        reconciler.keep(kept("f", 2));
        assertEquals(List.of("a:f@1", "a:f@2"), prepared, "keeping version 2 does not replace version 1");
        assertEquals(Set.of(new VersionKey("f", 1), new VersionKey("f", 2)), placement.totals().kept());

        // Node a is lost; b announces. Both versions come back on b, then only the one still kept.
        nanos.advance(Duration.ofSeconds(2));
        placement.announced(node("b", List.of()));
        nanos.advance(Duration.ofSeconds(2));
        reconciler.drop(new VersionKey("f", 1));
        reconciler.reconcile();
        assertEquals(List.of("a:f@1", "a:f@2", "b:f@2"), prepared);
    }
}
