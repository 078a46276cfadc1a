package dev.hearth.controlplane.stream;

import dev.hearth.controlplane.async.AsyncAttempt;
import dev.hearth.controlplane.async.AsyncInvocations;
import dev.hearth.controlplane.function.FunctionRecord;
import dev.hearth.controlplane.function.Functions;
import dev.hearth.controlplane.http.ApiException;
import dev.hearth.controlplane.invocation.InvocationLog;
import dev.hearth.controlplane.invocation.InvocationRecord;
import io.undertow.server.HttpServerExchange;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Functions' invocation logs, read ({@link #history}) and followed: every invocation stored for a
 * followed function reaches its followers as it is stored. Those recorded here come from the
 * record log's and the async workers' listeners, at once and with no store read; those of other
 * control planes come by {@link InvocationNotices} and are read from the store by id, only for
 * functions someone here follows. Nothing polls. A follower ends when its function is deleted,
 * here or on another control plane ({@link Functions#whenChanged}).
 */
public final class LogFollowing {

    private static final Logger log = LoggerFactory.getLogger(LogFollowing.class);
    /** Async records read for a history, before the version and alias filters, whatever its length. */
    private static final int ASYNC_SCAN = 100;

    private final Functions functions;
    private final InvocationLog invocations;
    private final AsyncInvocations async;
    private final Streams streams;
    private final Map<String, Set<LogFollow>> byFunction = new ConcurrentHashMap<>();

    public LogFollowing(Functions functions, InvocationLog invocations, AsyncInvocations async, Streams streams) {
        this.functions = functions;
        this.invocations = invocations;
        this.async = async;
        this.streams = streams;
        invocations.whenRecorded(record -> logged(Logged.of(record)));
        async.whenAttemptStored(attempt -> logged(Logged.of(attempt)));
        functions.whenDeleted(deleted -> ended(deleted.id(), deleted.name()));
        functions.whenChanged(this::changed);
    }

    /**
     * The lines of the function's newest {@code limit} invocations that {@code filter} matches,
     * sync and async (an async one's last attempt), oldest first.
     */
    public List<LogLine> history(String functionId, InvocationLog.Filter filter, int limit) {
        return newest(functionId, filter, limit).stream().flatMap(logged -> logged.lines().stream()).toList();
    }

    private List<Logged> newest(String functionId, InvocationLog.Filter filter, int limit) {
        if (limit == 0) {
            return List.of();
        }
        List<Logged> all = new ArrayList<>();
        invocations.recent(functionId, filter, limit).forEach(r -> all.add(Logged.of(r)));
        async.recentAttempts(functionId, Math.max(limit, ASYNC_SCAN)).stream()
                .filter(a -> filter.matches(a.version(), a.alias()))
                .forEach(a -> all.add(Logged.of(a)));
        all.sort(Comparator.comparing(Logged::at).reversed());
        List<Logged> kept = new ArrayList<>(all.subList(0, Math.min(limit, all.size())));
        java.util.Collections.reverse(kept);
        return kept;
    }

    /**
     * Answers with the function's log events: the lines of its last {@code tail} invocations,
     * then every new one's. Registered before the tail is read, so nothing falls between.
     *
     * @throws ApiException 429 past the caps of open streams
     */
    public void follow(HttpServerExchange exchange, String owner, FunctionRecord function, InvocationLog.Filter filter, int tail) {
        EventStream stream = streams.open(exchange, owner);
        LogFollow follow = new LogFollow(stream, owner, function.name(), function.id(), filter);
        byFunction.computeIfAbsent(function.id(), id -> ConcurrentHashMap.newKeySet()).add(follow);
        stream.whenClosed(() -> byFunction.computeIfPresent(function.id(), (id, set) -> {
            set.remove(follow);
            return set.isEmpty() ? null : set;
        }));
        streams.later(0, () -> {
            try {
                follow.start(newest(function.id(), filter, tail));
                check(follow); // deleted before it was registered?
            } catch (RuntimeException e) {
                log.warn("reading the log tail of {} failed", function.name(), e);
                follow.start(List.of());
            }
        });
    }

    /** Whether anyone here follows the function: only then are other control planes' records read. */
    boolean followed(String functionId) {
        return byFunction.containsKey(functionId);
    }

    /** Records stored by another control plane, of functions followed here. */
    void storedElsewhere(Collection<String> syncIds, Map<String, Integer> asyncAttempts) {
        if (!syncIds.isEmpty()) {
            for (InvocationRecord record : invocations.byIds(syncIds)) {
                logged(Logged.of(record));
            }
        }
        asyncAttempts.forEach((id, attempt) -> async.lastAttempt(id)
                .filter(a -> a.attempt() == attempt)
                .ifPresent(a -> logged(Logged.of(a))));
    }

    /** Runs store reads off the caller's thread (a NATS dispatcher's), on the streams' own. */
    void later(Runnable task) {
        streams.later(0, task);
    }

    private void logged(Logged logged) {
        Set<LogFollow> follows = byFunction.get(logged.functionId());
        if (follows != null) {
            follows.forEach(follow -> follow.logged(logged));
        }
    }

    private void ended(String functionId, String name) {
        Set<LogFollow> follows = byFunction.get(functionId);
        if (follows != null) {
            Map<String, Object> error = error(name);
            follows.forEach(follow -> follow.gone(error));
        }
    }

    /** A function changed somewhere: its followers here look whether it still exists. */
    private void changed(String owner, String name) {
        for (Set<LogFollow> follows : byFunction.values()) {
            for (LogFollow follow : follows) {
                if (follow.owner().equals(owner) && follow.name().equals(name)) {
                    later(() -> check(follow));
                }
            }
        }
    }

    private void check(LogFollow follow) {
        if (!follow.isOpen()) {
            return;
        }
        try {
            if (!functions.get(follow.owner(), follow.name()).id().equals(follow.functionId())) {
                follow.gone(error(follow.name()));
            }
        } catch (ApiException e) {
            if (e.status() == 404) {
                follow.gone(error(follow.name()));
            }
        }
    }

    private static Map<String, Object> error(String name) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", "not_found");
        error.put("message", "no function named '" + name + "'");
        return Map.of("error", error);
    }
}
