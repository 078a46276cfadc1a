package dev.hearth.controlplane.function;

import dev.hearth.controlplane.http.ApiException;
import dev.hearth.controlplane.stream.EventStream;
import dev.hearth.controlplane.stream.Streams;
import io.undertow.server.HttpServerExchange;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/functions/{name}/build?follow=true}: the latest build as events. A build that
 * has ended (or that none was needed) is its log and {@code end} at once. One queued or running
 * on this control plane is followed live ({@link LiveBuilds}). One another control plane runs
 * (several may share a store) is read from the store every {@link #POLL}: its status changes, and
 * its whole log at the end; should it turn up here meanwhile (its build queued here just after
 * the follower came), the follower attaches to it live. A follower ends with the build, or when
 * a newer definition supersedes the version it follows ({@code {"status":"superseded"}}), or when
 * the function is deleted ({@code end} carries the 404 error a request would get). Changes of
 * the function on any control plane ({@link Functions#whenChanged}) make its followers look at
 * the store at once.
 */
final class BuildFollowing {

    private static final Logger log = LoggerFactory.getLogger(BuildFollowing.class);
    /** How often a build another control plane runs is read from the store, per follower. */
    static final Duration POLL = Duration.ofMillis(500);

    private final Functions functions;
    private final LiveBuilds live;
    private final Streams streams;
    private final Map<String, Set<BuildFollow>> byName = new ConcurrentHashMap<>();
    /** Waiting followers with a store poll going: one chain of polls each. */
    private final Set<BuildFollow> polling = ConcurrentHashMap.newKeySet();

    BuildFollowing(Functions functions, Streams streams) {
        this.functions = functions;
        this.live = functions.liveBuilds();
        this.streams = streams;
        live.whenLost(this::poll);
        functions.whenChanged(this::changed);
    }

    /** What {@code GET …/build} answers: the latest build with its version, or {@code not_required}. */
    static Map<String, Object> view(Optional<FunctionRecord> latest) {
        Map<String, Object> view = new LinkedHashMap<>();
        if (latest.isEmpty()) {
            view.put("status", "not_required");
            view.put("log", "");
            return view;
        }
        view.put("version", latest.get().version());
        view.putAll(latest.get().build().view());
        return view;
    }

    /** The build of a record just stored, as the store will give it back (times to the millisecond). */
    static Map<String, Object> stored(FunctionRecord function) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("version", function.version());
        view.putAll(BuildInfo.fromDocument(function.build().toDocument()).view());
        return view;
    }

    /** A build log's lines, split at line feeds only (a carriage return is part of its line). */
    static List<String> lines(String log) {
        if (log.isEmpty()) {
            return List.of();
        }
        String body = log.endsWith("\n") ? log.substring(0, log.length() - 1) : log;
        return Arrays.asList(body.split("\n", -1));
    }

    private static boolean ended(BuildInfo build) {
        return build.finishedAt() != null;
    }

    /** Answers with the event stream; a 404 (unknown, or another user's function) or 429 is a JSON error instead. */
    void follow(HttpServerExchange exchange, String owner, String name) {
        Optional<FunctionRecord> latest = functions.latestBuild(owner, name);
        EventStream stream = streams.open(exchange, owner);
        if (latest.isEmpty() || ended(latest.get().build())) {
            Map<String, Object> view = view(latest);
            lines((String) view.get("log")).forEach(line -> stream.send("log", Map.of("line", line)));
            stream.end(view);
            return;
        }
        FunctionRecord function = latest.get();
        BuildFollow follow = new BuildFollow(stream, owner, name, function.id(), function.version());
        follow.status(function.build().status());
        byName.computeIfAbsent(key(owner, name), k -> ConcurrentHashMap.newKeySet()).add(follow);
        stream.whenClosed(() -> {
            byName.computeIfPresent(key(owner, name), (k, set) -> {
                set.remove(follow);
                return set.isEmpty() ? null : set;
            });
            live.unfollow(follow); // a poll still going ends at its next turn: the follower has ended

        });
        if (!live.follow(follow)) {
            poll(follow);
        }
    }

    /** Reads the store for a waiting follower now and every {@link #POLL} until it ends or attaches here. */
    private void poll(BuildFollow follow) {
        if (polling.add(follow)) {
            streams.later(0, () -> pollOnce(follow));
        }
    }

    private void pollOnce(BuildFollow follow) {
        try {
            check(follow);
        } catch (RuntimeException e) {
            log.warn("reading the build of {} failed; trying again", follow.name(), e);
        }
        if (follow.mode() == BuildFollow.Mode.WAITING && !live.follow(follow)) {
            streams.later(POLL.toMillis(), () -> pollOnce(follow));
            return;
        }
        polling.remove(follow);
        if (follow.mode() == BuildFollow.Mode.WAITING) {
            poll(follow); // detached from the build here just now, while this chain was ending
        }
    }

    private void changed(String owner, String name) {
        Set<BuildFollow> follows = byName.get(key(owner, name));
        if (follows != null) {
            follows.forEach(follow -> streams.later(0, () -> check(follow)));
        }
    }

    /** What the store says of the followed build: ended, superseded, gone, or its status. */
    private void check(BuildFollow follow) {
        if (follow.mode() == BuildFollow.Mode.ENDED) {
            return;
        }
        Optional<FunctionRecord> latest;
        try {
            latest = functions.latestBuild(follow.owner(), follow.name());
        } catch (ApiException e) {
            if (e.status() == 404) {
                follow.gone(error(e));
            }
            return;
        }
        if (latest.isPresent() && !latest.get().id().equals(follow.functionId())) {
            // Deleted, and another function made under the same name.
            follow.gone(error(Functions.notFound(follow.name())));
        } else if (latest.isEmpty() || latest.get().version() != follow.version()) {
            follow.superseded();
        } else if (ended(latest.get().build())) {
            follow.storedEnd(view(latest), lines(latest.get().build().log()));
        } else {
            follow.stored(latest.get().build().status());
        }
    }

    /** The 404 body of a function that is gone, as an error answer would carry it. */
    static Map<String, Object> error(ApiException e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", e.type());
        error.put("message", e.getMessage());
        return Map.of("error", error);
    }

    private static String key(String owner, String name) {
        return owner + "\n" + name;
    }
}
