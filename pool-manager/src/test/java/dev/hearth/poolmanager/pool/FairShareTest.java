package dev.hearth.poolmanager.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.poolmanager.FunctionSpec.VersionKey;
import dev.hearth.poolmanager.pool.FairShare.Idle;
import dev.hearth.poolmanager.pool.FairShare.Usage;
import dev.hearth.poolmanager.pool.FairShare.Wanted;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Max-min fair division of an 8-container, 8 GiB node, with literal holdings. */
class FairShareTest {

    static final Instant T0 = PoolPolicyTest.T0;
    final FairShare shares = new FairShare(8, 8192, 0.5);

    static Usage containers(int n) {
        return new Usage(n, n * 128L);
    }

    static Idle idle(String id, String owner, Instant lastUsed, boolean kept) {
        return new Idle(PoolPolicyTest.warm(id, lastUsed), owner, 128, kept);
    }

    @Test
    void victim_comesFromTheUserFurthestAboveTheFairShare_unprovisionedAndOldestFirst() {
        var held = Map.of("a", containers(5), "b", containers(2), "c", containers(1));
        List<Idle> idle = List.of(
                idle("a-kept", "a", T0, true),
                idle("a-new", "a", T0.plusSeconds(20), false),
                idle("a-old", "a", T0.plusSeconds(10), false),
                idle("b-old", "b", T0, false));
        Optional<Idle> victim = shares.victim(idle, held, "c", 128);
        assertEquals("a-old", victim.orElseThrow().warm().container().id());
    }

    @Test
    void victim_neverFromAUserAtOrBelowTheFairShare() {
        // Two users with demand: 4 containers each is the fair share.
        var held = Map.of("a", containers(4), "b", containers(4));
        List<Idle> idle = List.of(idle("a1", "a", T0, false));
        assertEquals(Optional.empty(), shares.victim(idle, held, "b", 128), "b may only evict its own");
        List<Idle> withOwn = List.of(idle("a1", "a", T0, false), idle("b1", "b", T0.plusSeconds(5), false));
        assertEquals("b1", shares.victim(withOwn, held, "b", 128).orElseThrow().warm().container().id());
    }

    @Test
    void victim_aNewUserTakesFromTheOneHoldingTheNode_evenItsProvisionedContainers() {
        var held = Map.of("a", containers(8));
        List<Idle> idle = List.of(idle("a-kept", "a", T0, true));
        assertEquals("a-kept", shares.victim(idle, held, "b", 128).orElseThrow().warm().container().id());
    }

    @Test
    void victim_neverOnlySwapsWhoIsAhead() {
        // Three users: fair is 8/3. a holds 4, b 2, c 2: c may take from a (3, 3), but b, now at 2 beside a at 3, may not.
        var held = Map.of("a", containers(3), "b", containers(2), "c", containers(3));
        List<Idle> idle = List.of(idle("a1", "a", T0, false), idle("c1", "c", T0, false));
        assertEquals(Optional.empty(), shares.victim(idle, held, "b", 128));
        var before = Map.of("a", containers(4), "b", containers(2), "c", containers(2));
        assertEquals("a1", shares.victim(idle, before, "c", 128).orElseThrow().warm().container().id());
    }

    @Test
    void victim_ownProvisionedContainersAreNotGivenUpForTheOwnersOtherCalls() {
        var held = Map.of("a", containers(8));
        assertEquals(Optional.empty(), shares.victim(List.of(idle("a-kept", "a", T0, true)), held, "a", 128));
    }

    @Test
    void victim_memoryCountsAsMuchAsContainers() {
        // a holds 2 containers but 6 GiB of the 8: above the half that is fair beside b.
        var held = Map.of("a", new Usage(2, 6144), "b", containers(2));
        List<Idle> idle = List.of(new Idle(PoolPolicyTest.warm("big", T0), "a", 3072, false));
        assertEquals("big", shares.victim(idle, held, "b", 1024).orElseThrow().warm().container().id());
    }

    @Test
    void mayReserve_aWaitingUserWithLessComesFirst_andThePoolAfterEveryone() {
        var held = Map.of("a", containers(7), "b", containers(0));
        Map<String, Integer> waiting = Map.of("b", 128);
        assertFalse(shares.mayReserve("a", held, waiting));
        assertTrue(shares.mayReserve("b", held, waiting));
        assertFalse(shares.mayReserve(FairShare.POOL, held, waiting));
        assertTrue(shares.mayReserve("a", held, Map.of()));
        assertTrue(shares.mayReserve("a", held, Map.of("a", 128)));
    }

    @Test
    void yields_onlyAnOwnerAboveItsShare_toAWaitingUserBelowIt() {
        var held = Map.of("a", containers(8));
        assertTrue(shares.yields("a", 128, held, Map.of("b", 128)));
        assertFalse(shares.yields("a", 128, held, Map.of()), "nobody waits: a keeps its container");
        assertFalse(shares.yields("a", 128, held, Map.of("a", 128)), "a's own waiting calls take it the usual way");
        var even = Map.of("a", containers(4), "b", containers(4));
        assertFalse(shares.yields("a", 128, even, Map.of("b", 128)), "a is at its share");
        var three = Map.of("a", containers(4), "b", containers(3), "c", containers(1));
        assertFalse(shares.yields("a", 128, three, Map.of("b", 128)), "the move would only swap who is ahead");
        assertTrue(shares.yields("a", 128, three, Map.of("c", 128)));
    }

    @Test
    void provisioned_staysWithinTheShare_andDividesItMaxMin() {
        var a1 = new VersionKey("a1", 1);
        var a2 = new VersionKey("a2", 1);
        var b1 = new VersionKey("b1", 1);
        // Alone, a gets the whole provisioned half of the node (4), spread over its versions.
        Map<VersionKey, Integer> alone = shares.provisioned(List.of(new Wanted(a1, "a", 10, 128), new Wanted(a2, "a", 10, 128)));
        assertEquals(Map.of(a1, 2, a2, 2), alone);
        // With b asking for 1, b gets it and a the rest; with b asking for 10, 2 each.
        assertEquals(Map.of(a1, 2, a2, 1, b1, 1), shares.provisioned(List.of(
                new Wanted(a1, "a", 10, 128), new Wanted(a2, "a", 10, 128), new Wanted(b1, "b", 1, 128))));
        Map<VersionKey, Integer> even = shares.provisioned(List.of(
                new Wanted(a1, "a", 10, 128), new Wanted(a2, "a", 10, 128), new Wanted(b1, "b", 10, 128)));
        assertEquals(2, even.get(b1));
        assertEquals(2, even.get(a1) + even.get(a2));
    }

    @Test
    void provisioned_countsMemory() {
        var big = new VersionKey("big", 1);
        var small = new VersionKey("small", 1);
        // Half of 8 GiB is 4 GiB: one 3 GiB container, and the small user's 128 MiB ones beside it.
        Map<VersionKey, Integer> given = shares.provisioned(List.of(new Wanted(big, "a", 3, 3072), new Wanted(small, "b", 3, 128)));
        assertEquals(1, given.get(big));
        assertEquals(3, given.get(small));
        assertEquals(Map.of(), new FairShare(8, 8192, 0).provisioned(List.of(new Wanted(big, "a", 3, 128))));
    }
}
