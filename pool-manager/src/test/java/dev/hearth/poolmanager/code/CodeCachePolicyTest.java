package dev.hearth.poolmanager.code;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hearth.poolmanager.code.CodeCachePolicy.Cause;
import dev.hearth.poolmanager.code.CodeCachePolicy.Entry;
import dev.hearth.poolmanager.code.CodeCachePolicy.Eviction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodeCachePolicyTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final long MB = 1024 * 1024;
    /** Ten minutes of grace, 100 MiB of budget. */
    final CodeCachePolicy policy = new CodeCachePolicy(new CodeCacheSettings(Duration.ofMinutes(10), 100 * MB));

    static Entry used(String digest, long bytes, Instant lastUsed) {
        return new Entry(digest, bytes, lastUsed, null, false);
    }

    static Entry unused(String digest, long bytes, Instant lastUsed, Instant since) {
        return new Entry(digest, bytes, lastUsed, since, false);
    }

    static Entry pinned(Entry e) {
        return new Entry(e.digest(), e.bytes(), e.lastUsed(), e.unreferencedSince(), true);
    }

    @Test
    void evictions_unreferencedEntry_goesExactlyAtTheEndOfItsGrace() {
        Entry e = unused("a", MB, T0, T0);
        assertEquals(List.of(), policy.evictions(List.of(e), T0.plus(Duration.ofMinutes(10)).minusMillis(1)));
        assertEquals(List.of(new Eviction("a", Cause.UNREFERENCED)), policy.evictions(List.of(e), T0.plus(Duration.ofMinutes(10))));
    }

    @Test
    void evictions_referencedEntry_staysWhileWithinBudget_howeverOld() {
        Entry e = used("a", 50 * MB, T0);
        assertEquals(List.of(), policy.evictions(List.of(e), T0.plus(Duration.ofDays(30))));
    }

    @Test
    void evictions_graceCountsFromTheRetirement_notFromTheLastUse() {
        Entry e = unused("a", MB, T0, T0.plus(Duration.ofMinutes(9)));
        assertEquals(List.of(), policy.evictions(List.of(e), T0.plus(Duration.ofMinutes(11))));
        assertEquals(1, policy.evictions(List.of(e), T0.plus(Duration.ofMinutes(19))).size());
    }

    @Test
    void evictions_overBudget_leastRecentlyUsedGoFirst_referencedOrNot_untilWithin() {
        Instant now = T0.plus(Duration.ofMinutes(1));
        List<Entry> entries = List.of(
                used("newest", 40 * MB, T0.plusSeconds(50)),
                used("oldest", 40 * MB, T0.plusSeconds(10)),
                unused("middle", 40 * MB, T0.plusSeconds(30), T0.plusSeconds(30)),
                used("second", 10 * MB, T0.plusSeconds(20)));
        // 130 MiB: dropping the oldest (40) leaves 90, within 100; nothing else goes.
        assertEquals(List.of(new Eviction("oldest", Cause.OVER_BUDGET)), policy.evictions(entries, now));
    }

    @Test
    void evictions_overBudget_takesAsManyAsNeeded() {
        Instant now = T0.plus(Duration.ofMinutes(1));
        List<Entry> entries = List.of(
                used("c", 60 * MB, T0.plusSeconds(30)),
                used("a", 60 * MB, T0.plusSeconds(10)),
                used("b", 60 * MB, T0.plusSeconds(20)));
        assertEquals(List.of(new Eviction("a", Cause.OVER_BUDGET), new Eviction("b", Cause.OVER_BUDGET)),
                policy.evictions(entries, now));
    }

    @Test
    void evictions_expiredEntriesCountAgainstTheBudgetNoMore() {
        Instant now = T0.plus(Duration.ofMinutes(20));
        List<Entry> entries = List.of(
                unused("expired", 80 * MB, T0, T0),
                used("old-but-used", 60 * MB, T0.plusSeconds(1)));
        assertEquals(List.of(new Eviction("expired", Cause.UNREFERENCED)), policy.evictions(entries, now),
                "with the expired entry gone the node is within budget: the used one stays");
    }

    @Test
    void evictions_neverPinned_neitherForGraceNorForBudget() {
        Instant now = T0.plus(Duration.ofHours(1));
        List<Entry> entries = List.of(
                pinned(unused("linking", 90 * MB, T0, T0)),
                pinned(used("unpacking", 90 * MB, T0)),
                used("other", 10 * MB, T0.plusSeconds(1)));
        assertEquals(List.of(new Eviction("other", Cause.OVER_BUDGET)), policy.evictions(entries, now),
                "pinned entries stay even over budget; only the unpinned one can go");
    }

    @Test
    void nextSweep_isWhenTheNextGraceEnds_withinBounds() {
        Instant now = T0.plus(Duration.ofMinutes(9)).plusSeconds(50);
        assertEquals(Duration.ofSeconds(10), policy.nextSweep(List.of(unused("a", MB, T0, T0), used("b", MB, T0)), now));
        assertEquals(CodeCachePolicy.MAX_SWEEP_DELAY, policy.nextSweep(List.of(used("b", MB, T0)), now),
                "nothing unreferenced: look again within the cap");
        assertEquals(CodeCachePolicy.MIN_SWEEP_DELAY, policy.nextSweep(List.of(unused("a", MB, T0, T0)), T0.plus(Duration.ofHours(1))),
                "an entry overdue (pinned at the last sweep) is looked at again soon");
    }

    @Test
    void nextSweep_overBudget_isSoon() {
        assertEquals(CodeCachePolicy.MIN_SWEEP_DELAY, policy.nextSweep(List.of(pinned(used("a", 200 * MB, T0))), T0));
    }
}
