package dev.hearth.poolmanager.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.poolmanager.FunctionSpec.VersionKey;
import dev.hearth.poolmanager.fakes.FakeTicker;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementTest {

    final FakeTicker nanos = new FakeTicker();
    final Placement placement = new Placement(Duration.ofSeconds(3), nanos::getAsLong);
    final VersionKey f1 = new VersionKey("f1", 1);

    static Wire.Announcement node(String id, long served, int busy, List<Wire.Idle> idle) {
        return new Wire.Announcement(id, served, true, 10, busy, 0, Map.of(), Map.of(), idle, List.of(), false);
    }

    /** The nodes {@code calls} calls of {@code key} are placed on, none of them sent. */
    Set<String> chosen(int calls, VersionKey key) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < calls; i++) {
            ids.add(placement.choose(key, Set.of()).id);
        }
        return ids;
    }

    @Test
    void aCallGoesToTheNodeHoldingAnIdleInstance() {
        placement.announced(node("a", 0, 0, List.of()));
        placement.announced(node("b", 0, 0, List.of(new Wire.Idle("f1", 1, 1))));
        for (int i = 0; i < 5; i++) {
            assertEquals("b", placement.choose(f1, Set.of()).id);
        }
    }

    @Test
    void withoutAnIdleInstance_theLeastLoadedNodesTakeTurns() {
        placement.announced(node("a", 0, 0, List.of()));
        placement.announced(node("b", 0, 0, List.of()));
        placement.announced(node("c", 0, 5, List.of()));
        Set<String> chosen = chosen(4, f1);
        assertEquals(Set.of("a", "b"), chosen, "the busy node is left alone while others are idle");
    }

    @Test
    void aVersionsFirstCall_goesToTheNodeItWasPreparedOn_thenTheyTakeTurnsAgain() {
        placement.announced(node("a", 0, 0, List.of()));
        placement.announced(node("b", 0, 0, List.of()));
        Placement.NodeView prepared = placement.prepareOn(f1);
        for (int i = 0; i < 4; i++) {
            assertEquals(prepared.id, placement.choose(f1, Set.of()).id, "where its code and its container wait");
        }
        Set<String> other = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            other.add(placement.choose(new VersionKey("f2", 1), Set.of()).id);
        }
        assertEquals(Set.of("a", "b"), other, "another version is placed as before");

        placement.placed(prepared, f1);
        placement.released(prepared);
        Set<String> later = chosen(4, f1);
        assertEquals(Set.of("a", "b"), later, "its first call came: no affinity but warm containers'");
    }

    @Test
    void aPreparedNode_isPassedOver_whenLeftOut_full_dead_orAfterTheAffinityEnds() {
        placement.announced(node("a", 0, 0, List.of()));
        placement.announced(node("b", 0, 0, List.of()));
        String prepared = placement.prepareOn(f1).id;
        String other = prepared.equals("a") ? "b" : "a";
        assertEquals(other, placement.choose(f1, Set.of(prepared)).id, "a retry after the node refused");

        placement.announced(node(prepared, 0, 10, List.of()));
        assertEquals(other, placement.choose(f1, Set.of()).id, "the node is full");
        placement.announced(node(prepared, 0, 0, List.of()));
        assertEquals(prepared, placement.choose(f1, Set.of()).id);

        nanos.advance(Placement.FIRST_CALL_AFFINITY);
        placement.announced(node("a", 0, 0, List.of()));
        placement.announced(node("b", 0, 0, List.of()));
        Set<String> chosen = chosen(4, f1);
        assertEquals(Set.of("a", "b"), chosen, "no first call within a minute: placed as any other");

        String again = placement.prepareOn(f1).id;
        String survivor = again.equals("a") ? "b" : "a";
        nanos.advance(Duration.ofSeconds(2));
        placement.announced(node(survivor, 0, 0, List.of()));
        nanos.advance(Duration.ofMillis(1500)); // the prepared node has been silent for 3.5 s: taken for dead
        assertEquals(survivor, placement.choose(f1, Set.of()).id, "the prepared node is gone");
    }

    @Test
    void placingACallTakesTheIdleInstance_andItsReplyGivesItBack() {
        placement.announced(node("a", 0, 0, List.of(new Wire.Idle("f1", 1, 1))));
        placement.announced(node("b", 0, 0, List.of()));
        Placement.NodeView a = placement.choose(f1, Set.of());
        placement.placed(a, f1);
        assertEquals(0, a.idle(f1));
        assertEquals("b", placement.choose(f1, Set.of()).id, "a's only instance is busy; b has less load");
        placement.answered("a", f1, 1, true);
        placement.released(a);
        assertEquals("a", placement.choose(f1, Set.of()).id);
    }

    @Test
    void anAnnouncementOlderThanAReply_doesNotEraseTheInstanceTheReplyGaveBack() {
        placement.announced(node("a", 0, 0, List.of()));
        Placement.NodeView a = placement.choose(f1, Set.of());
        placement.placed(a, f1);
        placement.answered("a", f1, 5, true);
        placement.released(a);
        placement.announced(node("a", 4, 0, List.of())); // snapshot taken before the reply
        assertEquals(1, a.idle(f1));
        placement.announced(node("a", 5, 0, List.of())); // taken after it: authoritative
        assertEquals(0, a.idle(f1));
    }

    @Test
    void aSilentNodeIsTakenForDead_andALeavingOneIsForgottenAtOnce() {
        placement.announced(node("a", 0, 0, List.of()));
        placement.announced(node("b", 0, 0, List.of()));
        nanos.advance(Duration.ofSeconds(2));
        placement.announced(node("b", 0, 0, List.of()));
        nanos.advance(Duration.ofMillis(1500));
        assertFalse(placement.alive("a"));
        assertTrue(placement.alive("b"));
        placement.announced(new Wire.Announcement("b", 0, true, 10, 0, 0, Map.of(), Map.of(), List.of(), List.of(), true));
        assertFalse(placement.alive("b"));
        assertNull(placement.choose(f1, Set.of()));
    }

    @Test
    void excludedNodesAreNotChosen() {
        placement.announced(node("a", 0, 0, List.of(new Wire.Idle("f1", 1, 3))));
        placement.announced(node("b", 0, 0, List.of()));
        assertEquals("b", placement.choose(f1, Set.of("a")).id);
        assertNull(placement.choose(f1, Set.of("a", "b")));
    }

    @Test
    void announcingAgainReportsOnlyNewNodes() {
        assertTrue(placement.announced(node("a", 0, 0, List.of())));
        assertFalse(placement.announced(node("a", 1, 0, List.of())));
    }

    @Test
    void choosingWhileOtherThreadsPlaceAndReleaseCalls_alwaysGivesANode() throws Exception {
        for (String id : List.of("a", "b", "c")) {
            placement.announced(node(id, 0, 0, List.of()));
        }
        var failures = new java.util.concurrent.ConcurrentLinkedQueue<Throwable>();
        var threads = new java.util.ArrayList<Thread>();
        long until = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                try {
                    while (System.nanoTime() < until) {
                        Placement.NodeView chosen = placement.choose(f1, Set.of());
                        placement.placed(chosen, f1);
                        placement.released(chosen);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertTrue(failures.isEmpty(), () -> "choose failed under concurrent calls: " + failures.peek());
    }
}
