package dev.hearth.controlplane.async;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bson.Document;

/**
 * The last attempt of an async invocation as its record keeps it: the version that ran, the alias
 * that chose it, which attempt it was and its tagged log lines.
 *
 * @param attempt 1 for the first attempt, one more for each retry
 * @param at      when the attempt ended
 */
public record AsyncAttempt(String id, String owner, String functionId, long version, String alias, int attempt, String logs,
                           Instant at) {

    public AsyncAttempt {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(functionId, "functionId");
        Objects.requireNonNull(at, "at");
        logs = logs == null ? "" : logs;
    }

    /** The last attempt a record holds, or empty before its first attempt has ended. */
    static Optional<AsyncAttempt> of(Document record) {
        int attempts = record.getInteger("attempts", 0);
        if (attempts < 1 || !(record.get("version") instanceof Number version)) {
            return Optional.empty();
        }
        List<Document> history = record.getList("history", Document.class, List.of());
        Date at = history.isEmpty() ? record.getDate("createdAt") : history.get(history.size() - 1).getDate("at");
        return Optional.of(new AsyncAttempt(record.getString("_id"), record.getString("owner"), record.getString("functionId"),
                version.longValue(), record.getString("alias"), attempts, record.getString("logs"), at.toInstant()));
    }
}
