package dev.hearth.controlplane.function;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The builds this control plane has queued or runs, as they happen, for their followers
 * ({@link BuildFollow}): each build's status and the lines its builder has printed so far (bounded
 * by the builder's log limit), and who follows it. {@link FunctionBuilds} tells it every step; a
 * follower attached mid-build gets the lines so far and then every new one, under one lock, so it
 * misses none and gets none twice. One build per function at most: a newer version's replaces it.
 */
final class LiveBuilds {

    /** How a follower learns that a build went without ending, to ask the store what became of it. */
    interface Lost {
        void check(BuildFollow follow);
    }

    private final Map<String, Live> byFunction = new ConcurrentHashMap<>();
    private volatile Lost lost = follow -> {};

    /** Set once, before builds are followed. */
    void whenLost(Lost lost) {
        this.lost = lost;
    }

    /** One build (function version) with its lines so far and its followers; guarded by itself. */
    private static final class Live {
        final long version;
        String status = "queued";
        final List<String> lines = new ArrayList<>();
        final List<BuildFollow> followers = new ArrayList<>();
        boolean over;

        Live(long version) {
            this.version = version;
        }
    }

    /** A build queued; one of an older version of the function is superseded (a build queued again, after a restart, stays). */
    void queued(FunctionRecord function) {
        Live previous = byFunction.get(function.id());
        if (previous != null && previous.version == function.version()) {
            return;
        }
        previous = byFunction.put(function.id(), new Live(function.version()));
        if (previous != null) {
            end(previous, BuildFollow::superseded);
        }
    }

    void started(FunctionRecord function) {
        Live live = find(function);
        if (live != null) {
            synchronized (live) {
                live.status = "building";
                live.followers.forEach(f -> f.status("building"));
            }
        }
    }

    /** Where the builder's lines go while it runs. */
    Consumer<String> lines(FunctionRecord function) {
        Live live = find(function);
        if (live == null) {
            return line -> {};
        }
        return line -> {
            synchronized (live) {
                if (!live.over) {
                    live.lines.add(line);
                    live.followers.forEach(f -> f.line(line));
                }
            }
        };
    }

    /**
     * The build ended and was stored as {@code done}: followers get the lines of its final log past
     * those they had (the builder's lines come first in it; Hearth's notes follow), then {@code end}.
     */
    void finished(FunctionRecord done) {
        Live live = find(done);
        if (live == null) {
            return;
        }
        Map<String, Object> view = BuildFollowing.stored(done);
        List<String> finalLines = BuildFollowing.lines(done.build().log());
        synchronized (live) {
            boolean continues = finalLines.size() >= live.lines.size() && finalLines.subList(0, live.lines.size()).equals(live.lines);
            // Should the final log not continue what was streamed, the end's own log is the whole truth.
            List<String> rest = continues ? finalLines : List.of();
            end(live, f -> f.finished(view, rest));
        }
        byFunction.remove(done.id(), live);
    }

    /** The build went without ending (not run, redefined, stopped): its followers ask the store what became of it. */
    void dropped(FunctionRecord function) {
        Live live = find(function);
        if (live != null) {
            byFunction.remove(function.id(), live);
            List<BuildFollow> followers;
            synchronized (live) {
                live.over = true;
                followers = List.copyOf(live.followers);
                live.followers.clear();
            }
            for (BuildFollow follow : followers) {
                follow.detach();
                lost.check(follow);
            }
        }
    }

    /** The function was deleted here. */
    void deleted(FunctionRecord function, Map<String, Object> error) {
        Live live = byFunction.remove(function.id());
        if (live != null) {
            end(live, f -> f.gone(error));
        }
    }

    /** Attaches {@code follow} to its build if it runs here; false when it does not (any more). */
    boolean follow(BuildFollow follow) {
        Live live = byFunction.get(follow.functionId());
        if (live == null || live.version != follow.version()) {
            return false;
        }
        synchronized (live) {
            if (live.over) {
                return false;
            }
            follow.attach(live.status, live.lines);
            live.followers.add(follow);
            return true;
        }
    }

    /** A follower that closed. */
    void unfollow(BuildFollow follow) {
        Live live = byFunction.get(follow.functionId());
        if (live != null) {
            synchronized (live) {
                live.followers.remove(follow);
            }
        }
    }

    private Live find(FunctionRecord function) {
        Live live = byFunction.get(function.id());
        return live != null && live.version == function.version() ? live : null;
    }

    private static void end(Live live, Consumer<BuildFollow> how) {
        synchronized (live) {
            live.over = true;
            live.followers.forEach(how);
            live.followers.clear();
        }
    }
}
