package dev.hearth.controlplane.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.controlplane.OwnStore;
import dev.hearth.controlplane.http.ApiException;
import dev.hearth.poolmanager.FunctionSettings;
import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.fakes.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Versions, aliases and qualified lookups over the real MongoDB driver against an in-memory store,
 * with a pool that records what it is asked: which versions a qualifier reaches (weights drawn
 * from a number the test sets), what an alias may point at, which versions may be deleted or
 * pruned, and that every version an alias names is prepared with the function's {@code minWarm}.
 */
class VersionsAndAliasesTest {

    static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

    OwnStore own;
    FunctionStore store;
    RecordingPool pool = new RecordingPool();
    MutableClock clock = new MutableClock(T0);
    List<String> changed = new ArrayList<>();
    double draw = 0.5;
    Resolver resolver;
    Versions versions;
    Aliases aliases;
    Targets targets;
    Quotas quotas;

    @BeforeEach
    void start() {
        own = OwnStore.start();
        store = new FunctionStore(own.database());
        quotas = new Quotas(store, new StorageSettings(Duration.ofMinutes(10), 100, 1 << 30, 4), 10);
        resolver = new Resolver(store, () -> draw);
        versions = new Versions(store, quotas, pool, 4, (owner, name) -> changed.add(name));
        targets = new Targets(store, quotas, pool, versions);
        aliases = new Aliases(store, quotas, targets, clock, (owner, name) -> changed.add(name));
    }

    @AfterEach
    void stop() {
        own.close();
    }

    static FunctionRecord version(long n, FunctionRecord.Status status, int minWarm) {
        var workload = new StoredWorkload.Source(Language.PYTHON, "main.handler", "src" + n, 10, "code" + n, 10);
        var settings = new FunctionSettings(128, 1000 * (int) n, 0, Map.of(), false, minWarm);
        return FunctionRecord.defined("f-id", "ann", "f", n, workload, settings, null, T0, T0.plusSeconds(n), "v" + n)
                .built(status, status == FunctionRecord.Status.READY ? "code" + n : null, 10, null);
    }

    /** Versions 1..n of "f", all ready; the last serves. */
    void versions(int n, int minWarm) {
        store.insert(version(1, FunctionRecord.Status.READY, minWarm));
        for (long v = 2; v <= n; v++) {
            assertTrue(store.replace(v - 1, version(v, FunctionRecord.Status.READY, minWarm)));
        }
    }

    static void assertStatus(int status, Executable call) {
        assertEquals(status, assertThrows(ApiException.class, call).status());
    }

    Aliases.Request to(long version, Map<String, Double> weights) {
        return new Aliases.Request(version, weights, null);
    }

    @Test
    void qualifiers_reachTheServingVersion_aNumberedOne_orAnAliasByItsWeights() {
        versions(3, 0);
        assertEquals(3, resolver.resolve("ann", "f", null).version().version());
        assertEquals(3, resolver.resolve("ann", "f", "$LATEST").version().version());
        var first = resolver.resolve("ann", "f", "1");
        assertEquals(1, first.version().version());
        assertEquals(1000, first.version().settings().timeoutMs(), "the version's own settings");
        assertNull(first.alias());
        aliases.put("ann", "f", "prod", to(1, Map.of("2", 0.25)));
        resolver.forget("ann", "f");
        draw = 0.2;
        var canary = resolver.resolve("ann", "f", "prod");
        assertEquals(2, canary.version().version());
        assertEquals("prod", canary.alias());
        draw = 0.25;
        assertEquals(1, resolver.resolve("ann", "f", "prod").version().version(), "a draw at the weight is past it");
        draw = 0.99;
        assertEquals(1, resolver.resolve("ann", "f", "prod").version().version());
    }

    @Test
    void anAliasesTime_isKeptToTheMillisecond_asTheStoreKeepsIt() {
        versions(1, 0);
        clock.advance(Duration.ofNanos(123_456_789));
        Alias put = aliases.put("ann", "f", "prod", to(1, null));
        assertEquals(0, put.updatedAt().getNano() % 1_000_000, "no sub-millisecond part: " + put.updatedAt());
        resolver.forget("ann", "f");
        assertEquals(put, store.require("ann", "f").aliases().get("prod"), "the stored alias reads back equal");
    }

    @Test
    void unknownQualifiers_are404_malformedOnes400_andAnotherUsersFunctionIsNotFound() {
        versions(2, 0);
        assertStatus(404, () -> resolver.resolve("ann", "f", "7"));
        assertStatus(404, () -> resolver.resolve("ann", "f", "staging"));
        assertStatus(400, () -> resolver.resolve("ann", "f", "no/such"));
        assertStatus(400, () -> resolver.resolve("ann", "f", "x".repeat(129)));
        assertStatus(404, () -> resolver.resolve("bob", "f", null));
        assertStatus(404, () -> resolver.resolve("bob", "f", "1"));
        assertStatus(404, () -> aliases.put("bob", "f", "prod", to(1, null)));
        assertStatus(404, () -> versions.list("bob", "f"));
        assertStatus(404, () -> versions.delete("bob", "f", 1));
    }

    @Test
    void anAlias_needsAGoodName_oneExtraVersionAtMost_weightsInsideZeroAndOne_andReadyVersions() {
        versions(3, 0);
        assertStatus(400, () -> aliases.put("ann", "f", "123", to(1, null)));
        assertStatus(400, () -> aliases.put("ann", "f", "a.b", to(1, null)));
        assertStatus(400, () -> aliases.put("ann", "f", "prod", new Aliases.Request(null, null, null)));
        assertStatus(400, () -> aliases.put("ann", "f", "prod", to(1, Map.of("2", 0.1, "3", 0.1))));
        assertStatus(400, () -> aliases.put("ann", "f", "prod", to(1, Map.of("2", 1.0))));
        assertStatus(400, () -> aliases.put("ann", "f", "prod", to(1, Map.of("2", 0.0))));
        assertStatus(400, () -> aliases.put("ann", "f", "prod", to(1, Map.of("1", 0.5))));
        assertStatus(400, () -> aliases.put("ann", "f", "prod", to(1, Map.of("two", 0.5))));
        assertStatus(404, () -> aliases.put("ann", "f", "prod", to(9, null)));
        assertStatus(404, () -> aliases.put("ann", "f", "prod", to(1, Map.of("9", 0.5))));
        store.stagePending(version(4, FunctionRecord.Status.BUILDING, 0));
        var refused = assertThrows(ApiException.class, () -> aliases.put("ann", "f", "prod", to(4, null)));
        assertEquals(409, refused.status());
        assertTrue(refused.getMessage().contains("building"), refused.getMessage());
        assertTrue(aliases.list("ann", "f").isEmpty(), "nothing refused was stored");
        Alias prod = aliases.put("ann", "f", "prod-1_a", to(1, Map.of("2", 0.1)));
        assertEquals(new Alias("prod-1_a", 1, 2, 0.1, null, T0), prod);
        assertEquals(List.of(prod), aliases.list("ann", "f"));
    }

    @Test
    void aliasTargets_arePreparedWithTheFunctionsMinWarm_andOnesLeftAreReleasedNotRemoved() {
        versions(3, 2);
        pool.prepared.clear();
        aliases.put("ann", "f", "prod", to(1, Map.of("2", 0.5)));
        assertEquals(Set.of(1L, 2L), Set.copyOf(pool.prepared.stream().map(s -> s.version()).toList()));
        assertTrue(pool.prepared.stream().allMatch(s -> s.minWarm() == 2));
        pool.prepared.clear();
        aliases.put("ann", "f", "prod", to(2, null));
        assertEquals(1, pool.prepared.size());
        assertEquals(1, pool.prepared.get(0).version(), "version 1 left the alias");
        assertEquals(0, pool.prepared.get(0).minWarm(), "its kept containers become ordinary warm ones");
        assertTrue(pool.retired.isEmpty(), "no container is removed by repointing");
        assertTrue(changed.contains("f"));
    }

    @Test
    void aVersion_isDeletedOnlyWhenNothingNeedsIt() {
        versions(4, 0);
        aliases.put("ann", "f", "prod", to(1, Map.of("2", 0.5)));
        var servingRefusal = assertThrows(ApiException.class, () -> versions.delete("ann", "f", 4));
        assertEquals(409, servingRefusal.status());
        var aliasRefusal = assertThrows(ApiException.class, () -> versions.delete("ann", "f", 2));
        assertEquals(409, aliasRefusal.status());
        assertTrue(aliasRefusal.getMessage().contains("'prod'"), aliasRefusal.getMessage());
        assertStatus(404, () -> versions.delete("ann", "f", 9));
        versions.delete("ann", "f", 3);
        assertEquals(List.of(4L, 2L, 1L), versions.list("ann", "f").stream().map(FunctionRecord::version).toList());
        assertEquals(List.of(Set.of(3L)), pool.retired);
        assertStatus(404, () -> resolver.resolve("ann", "f", "3"));
        store.stagePending(version(5, FunctionRecord.Status.BUILDING, 0));
        assertStatus(409, () -> versions.delete("ann", "f", 5));
    }

    @Test
    void pruning_deletesTheOldestVersionsNothingRoutesTo_pastTheCount() {
        versions(6, 0);
        aliases.put("ann", "f", "old", to(1, null));
        Set<Long> pruned = versions.prune(store.find("ann", "f").orElseThrow());
        assertEquals(Set.of(2L, 3L), pruned, "1 has an alias; 6 versions down to 4");
        assertEquals(List.of(6L, 5L, 4L, 1L), versions.list("ann", "f").stream().map(FunctionRecord::version).toList());
        assertEquals(List.of(Set.of(2L, 3L)), pool.retired);
    }

    @Test
    void serving_aNewVersion_drainsOnlyTheVersionsNothingRoutesTo() {
        versions(3, 0);
        aliases.put("ann", "f", "prod", to(1, null));
        pool.retired.clear();
        targets.serve("f-id");
        assertEquals(List.of(Set.of(2L)), pool.retired, "1 has an alias, 3 serves");
    }

    @Test
    void aBuildingVersionReplacedBeforeItsBuild_isKeptAsFailed() {
        versions(1, 0);
        var building = version(2, FunctionRecord.Status.BUILDING, 0);
        var queued = new FunctionRecord(building.id(), building.owner(), building.name(), 2, new StoredWorkload.Source(
                Language.PYTHON, "main.handler", "src2", 10, null, 0), building.settings(), FunctionRecord.Status.BUILDING,
                BuildInfo.queued(T0, "cp1"), T0, null, T0, null, null, null);
        store.stagePending(queued);
        store.versions().superseded(queued, 3, T0.plusSeconds(5));
        var kept = store.versions().find("f-id", 2).orElseThrow();
        assertEquals(FunctionRecord.Status.FAILED, kept.status());
        assertTrue(kept.build().view().get("log").toString().contains("version 3"));
    }

    @Test
    void aVersionWhoseBuildHasStarted_isLeftToRecordItsOwnOutcome_whateverTheCallerRead() {
        versions(1, 0);
        var building = version(2, FunctionRecord.Status.BUILDING, 0);
        var queued = new FunctionRecord(building.id(), building.owner(), building.name(), 2, new StoredWorkload.Source(
                Language.PYTHON, "main.handler", "src2", 10, null, 0), building.settings(), FunctionRecord.Status.BUILDING,
                BuildInfo.queued(T0, "cp1"), T0, null, T0, null, null, null);
        store.stagePending(queued);
        assertTrue(store.startBuild("f-id", 2, queued.build().started(T0.plusSeconds(1))));
        // The caller read the version while it was still queued.
        store.versions().superseded(queued, 3, T0.plusSeconds(5));
        assertEquals(FunctionRecord.Status.BUILDING, store.versions().find("f-id", 2).orElseThrow().status(),
                "a running build is not labelled as never run");
    }

    @Test
    void aBuildBesideAnAliasedServingVersion_countsTheMinWarmItAsksOnceBuilt() {
        // The cap is 10. Version 1 keeps 6 and prod points at it: once version 2 is built, 1 (prod) and 2 (the name) keep 6 each.
        versions(1, 6);
        aliases.put("ann", "f", "prod", to(1, null));
        FunctionRecord current = store.find("ann", "f").orElseThrow();
        assertStatus(403, () -> quotas.checkNewVersion(current, 2, 6, true));
        assertStatus(403, () -> quotas.checkNewVersion(current, 2, 6, false));
        quotas.checkNewVersion(current, 2, 5, true);

        store.stagePending(version(2, FunctionRecord.Status.BUILDING, 5));
        assertEquals(10, store.minWarm("ann"), "version 2 builds beside 1, and both keep 5 once it is built");
    }

    @Test
    void theMinWarmAsked_countsAPendingVersionsAlone_andFunctionsThatAskNone_addNothing() {
        versions(1, 0);
        var workload = new StoredWorkload.Source(Language.PYTHON, "main.handler", "src-g", 10, "code-g", 10);
        store.insert(FunctionRecord.defined("g-id", "ann", "g", 1, workload, new FunctionSettings(128, 1000, 0, Map.of(), false, 0),
                null, T0, T0, "g").built(FunctionRecord.Status.READY, "code-g", 10, null));
        assertEquals(0, store.minWarm("ann"));

        store.stagePending(version(2, FunctionRecord.Status.BUILDING, 3));
        assertEquals(3, store.minWarm("ann"), "f serves version 1 (minWarm 0) while 2, asking 3, builds");
    }

    @Test
    void theCodeStored_countsEveryVersionsArchivesOnce() {
        versions(3, 0);
        assertEquals(60, store.storedBytes("ann"), "three versions, each a source and a code archive of 10 bytes");
        var again = new AtomicReference<>(version(4, FunctionRecord.Status.READY, 0));
        var same = new FunctionRecord("f-id", "ann", "f", 4, version(3, FunctionRecord.Status.READY, 0).workload(),
                again.get().settings(), FunctionRecord.Status.READY, null, T0, null, T0, null, null, null);
        store.replace(3, same);
        assertEquals(60, store.storedBytes("ann"), "a version with the same code adds nothing");
        assertTrue(store.referencedDigests().containsAll(Set.of("src1", "code1", "src3", "code3")));
    }
}
