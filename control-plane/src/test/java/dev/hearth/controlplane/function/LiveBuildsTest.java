package dev.hearth.controlplane.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.controlplane.stream.RecordingSink;
import dev.hearth.poolmanager.FunctionSettings;
import dev.hearth.poolmanager.Language;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class LiveBuildsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final LiveBuilds live = new LiveBuilds();
    private final List<BuildFollow> lost = new ArrayList<>();

    LiveBuildsTest() {
        live.whenLost(lost::add);
    }

    private static FunctionRecord function(long version) {
        var source = new StoredWorkload.Source(Language.NODE, "index.handler", "src-sha", 10, null, 0);
        return FunctionRecord.defined("fn-1", "ann", "fn", version, source, new FunctionSettings(128, 3000, 0, Map.of(), false, 0),
                BuildInfo.queued(T0, "cp"), T0, T0, null);
    }

    private static FunctionRecord done(FunctionRecord function, String log) {
        var info = function.build().started(T0.plusMillis(5)).ended(true, log, T0.plusMillis(900), false);
        return function.built(FunctionRecord.Status.READY, "out-sha", 20, info);
    }

    private BuildFollow follower(RecordingSink sink, long version) {
        return new BuildFollow(sink, "ann", "fn", "fn-1", version);
    }

    @Test
    void aFollowerFromTheStart_getsStatusesLinesAndTheRestOfTheFinalLog_thenEnd() {
        FunctionRecord v1 = function(1);
        live.queued(v1);
        RecordingSink sink = new RecordingSink();
        assertTrue(live.follow(follower(sink, 1)));
        live.started(v1);
        Consumer<String> lines = live.lines(v1);
        lines.accept("[hearth-build] npm install --omit=dev");
        lines.accept("added 1 package");
        live.finished(done(v1, "[hearth-build] npm install --omit=dev\nadded 1 package\n[hearth-build] done\n"));

        List<String> events = sink.events();
        assertEquals(List.of(
                "status {\"version\":1,\"status\":\"queued\"}",
                "status {\"version\":1,\"status\":\"building\"}",
                "log {\"line\":\"[hearth-build] npm install --omit=dev\"}",
                "log {\"line\":\"added 1 package\"}",
                "log {\"line\":\"[hearth-build] done\"}"), events.subList(0, 5));
        assertTrue(events.get(5).startsWith("end {\"version\":1,\"status\":\"succeeded\""), events::toString);
        assertEquals(6, events.size());
    }

    @Test
    void aFollowerJoiningMidBuild_getsTheLinesSoFarThenTheNewOnes_noneTwice() {
        FunctionRecord v1 = function(1);
        live.queued(v1);
        live.started(v1);
        Consumer<String> lines = live.lines(v1);
        lines.accept("one");
        lines.accept("two");
        RecordingSink sink = new RecordingSink();
        assertTrue(live.follow(follower(sink, 1)));
        lines.accept("three");
        assertEquals(List.of("status {\"version\":1,\"status\":\"building\"}", "log {\"line\":\"one\"}",
                "log {\"line\":\"two\"}", "log {\"line\":\"three\"}"), sink.events());
    }

    @Test
    void aFinalLogThatDoesNotContinueTheStreamedLines_addsNoLines_theEndHasIt() {
        FunctionRecord v1 = function(1);
        live.queued(v1);
        RecordingSink sink = new RecordingSink();
        live.follow(follower(sink, 1));
        live.lines(v1).accept("streamed");
        live.finished(done(v1, "[hearth] the build could not run on this node\n"));
        List<String> events = sink.events();
        assertEquals("log {\"line\":\"streamed\"}", events.get(1));
        assertTrue(events.get(2).startsWith("end "), events::toString);
        assertTrue(events.get(2).contains("could not run"), events::toString);
    }

    @Test
    void aNewerVersionQueued_supersedesTheFollowedOne() {
        live.queued(function(1));
        RecordingSink sink = new RecordingSink();
        live.follow(follower(sink, 1));
        live.queued(function(2));
        assertEquals("end {\"status\":\"superseded\"}", sink.events().get(sink.events().size() - 1));
        assertFalse(live.follow(follower(new RecordingSink(), 1)), "version 1 is no longer built here");
        assertTrue(live.follow(follower(new RecordingSink(), 2)));
    }

    @Test
    void theSameVersionQueuedAgain_keepsItsFollowers() {
        live.queued(function(1));
        RecordingSink sink = new RecordingSink();
        live.follow(follower(sink, 1));
        live.queued(function(1));
        live.lines(function(1)).accept("still here");
        assertEquals("log {\"line\":\"still here\"}", sink.events().get(1));
    }

    @Test
    void deleted_endsWithTheErrorGiven() {
        live.queued(function(1));
        RecordingSink sink = new RecordingSink();
        live.follow(follower(sink, 1));
        live.deleted(function(1), BuildFollowing.error(Functions.notFound("fn")));
        assertEquals("end {\"error\":{\"type\":\"not_found\",\"message\":\"no function named 'fn'\"}}", sink.events().get(1));
    }

    @Test
    void dropped_handsTheFollowersBackToWaiting_forTheStoreToTell() {
        live.queued(function(1));
        RecordingSink sink = new RecordingSink();
        BuildFollow follow = follower(sink, 1);
        live.follow(follow);
        live.dropped(function(1));
        assertEquals(List.of(follow), lost);
        assertEquals(BuildFollow.Mode.WAITING, follow.mode());
        live.lines(function(1)).accept("after");
        assertEquals(1, sink.events().size(), "only its status");
    }

    @Test
    void aWaitingFollower_takesTheStoresEnd_withEveryLine() {
        RecordingSink sink = new RecordingSink();
        BuildFollow follow = follower(sink, 1);
        follow.stored("queued");
        follow.stored("building");
        follow.stored("building");
        follow.storedEnd(Map.of("status", "failed"), BuildFollowing.lines("a\nb\n"));
        follow.storedEnd(Map.of("status", "failed"), BuildFollowing.lines("a\nb\n"));
        assertEquals(List.of("status {\"version\":1,\"status\":\"queued\"}", "status {\"version\":1,\"status\":\"building\"}",
                "log {\"line\":\"a\"}", "log {\"line\":\"b\"}", "end {\"status\":\"failed\"}"), sink.events());
    }

    @Test
    void aLiveFollower_ignoresTheStoresStatus_whichMayLag() {
        FunctionRecord v1 = function(1);
        live.queued(v1);
        live.started(v1);
        RecordingSink sink = new RecordingSink();
        BuildFollow follow = follower(sink, 1);
        live.follow(follow);
        follow.stored("queued");
        assertEquals(List.of("status {\"version\":1,\"status\":\"building\"}"), sink.events());
    }

    @Test
    void aFollowerWhoReadBuildingFromTheStore_isNotToldQueuedByTheBuildThatHasNotSaidSoYet() {
        FunctionRecord v1 = function(1);
        live.queued(v1);
        RecordingSink sink = new RecordingSink();
        BuildFollow follow = follower(sink, 1);
        follow.status("building"); // the store has it started; the build here has yet to say so
        live.follow(follow);
        live.started(v1);
        assertEquals(List.of("status {\"version\":1,\"status\":\"building\"}"), sink.events());
    }

    @Test
    void lines_splitAtLineFeedsOnly() {
        assertEquals(List.of("a\rb", "", "c"), BuildFollowing.lines("a\rb\n\nc\n"));
        assertEquals(List.of("no end"), BuildFollowing.lines("no end"));
        assertEquals(List.of(), BuildFollowing.lines(""));
    }
}
