package dev.hearth.controlplane.stream;

import dev.hearth.controlplane.async.AsyncAttempt;
import dev.hearth.controlplane.invocation.InvocationRecord;
import java.time.Instant;
import java.util.List;

/**
 * One invocation's lines as they were stored: a sync call's record, or one attempt of an async
 * invocation's (each attempt of an async invocation is logged anew).
 *
 * @param key   what tells one apart from another: the invocation id, with the attempt for async ones
 * @param alias the alias that chose the version, or null
 */
record Logged(String functionId, String key, String invocationId, long version, String alias, Instant at, String logs) {

    static Logged of(InvocationRecord record) {
        return new Logged(record.functionId(), record.id(), record.id(), record.version(), record.alias(), record.createdAt(),
                record.logs());
    }

    static Logged of(AsyncAttempt attempt) {
        return new Logged(attempt.functionId(), attempt.id() + "#" + attempt.attempt(), attempt.id(), attempt.version(),
                attempt.alias(), attempt.at(), attempt.logs());
    }

    List<LogLine> lines() {
        return LogLine.of(invocationId, version, at, logs);
    }
}
