package dev.hearth.controlplane.stream;

import dev.hearth.controlplane.invocation.InvocationLog;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One follower of one function's logs. It is registered before its tail is read from the store,
 * so that nothing logged meanwhile is missed: what arrives before the tail is sent waits, and goes
 * out after it unless the tail had it already. Synchronized: request threads, the record writer,
 * async workers and notices from other control planes all reach it.
 */
final class LogFollow {

    /** Invocations waiting for the tail to be sent; past this many, the oldest are left out. */
    static final int MAX_EARLY = 1000;

    private final EventSink sink;
    private final String owner;
    private final String name;
    private final String functionId;
    private final InvocationLog.Filter filter;
    private List<Logged> early = new ArrayList<>();
    private boolean ended;

    LogFollow(EventSink sink, String owner, String name, String functionId, InvocationLog.Filter filter) {
        this.sink = sink;
        this.owner = owner;
        this.name = name;
        this.functionId = functionId;
        this.filter = filter;
    }

    String owner() {
        return owner;
    }

    String name() {
        return name;
    }

    String functionId() {
        return functionId;
    }

    boolean isOpen() {
        return sink.isOpen();
    }

    /** The tail (oldest first), then what was logged while it was read. */
    synchronized void start(List<Logged> tail) {
        if (early == null) {
            return;
        }
        Set<String> had = new HashSet<>();
        for (Logged logged : tail) {
            had.add(logged.key());
            send(logged);
        }
        List<Logged> waiting = early;
        early = null;
        for (Logged logged : waiting) {
            if (!had.contains(logged.key())) {
                send(logged);
            }
        }
    }

    /** An invocation of the function was logged. */
    synchronized void logged(Logged logged) {
        if (ended || !filter.matches(logged.version(), logged.alias())) {
            return;
        }
        if (early != null) {
            if (early.size() == MAX_EARLY) {
                early.remove(0);
            }
            early.add(logged);
            return;
        }
        send(logged);
    }

    /** The function is gone: {@code end} carries the 404 a request would get now. */
    synchronized void gone(Map<String, Object> error) {
        if (!ended) {
            ended = true;
            sink.end(error);
        }
    }

    private void send(Logged logged) {
        for (LogLine line : logged.lines()) {
            sink.send("log", line);
        }
    }
}
