package dev.hearth.controlplane.invocation;

import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bson.Document;

/**
 * What is kept of one invocation: who, which function version, how it started, how long each
 * phase took, how it ended, and the function's tagged log lines.
 *
 * @param alias  the alias that chose the version, or null when the call named none
 * @param start  {@code cold}, {@code pool} or {@code warm}
 * @param node   the pool-manager node that ran it
 * @param status {@code succeeded}, {@code failed} (the function's error), {@code timeout} or {@code crashed}
 */
public record InvocationRecord(
        String id,
        String owner,
        String functionId,
        String functionName,
        long version,
        String alias,
        String start,
        String node,
        long initMicros,
        long runMicros,
        long totalMicros,
        String status,
        String errorType,
        String errorMessage,
        String logs,
        Instant createdAt) {

    public InvocationRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        logs = logs == null ? "" : logs;
    }

    Document toDocument() {
        return new Document("_id", id)
                .append("owner", owner)
                .append("functionId", functionId)
                .append("functionName", functionName)
                .append("version", version)
                .append("alias", alias)
                .append("start", start)
                .append("node", node)
                .append("initMicros", initMicros)
                .append("runMicros", runMicros)
                .append("totalMicros", totalMicros)
                .append("status", status)
                .append("errorType", errorType)
                .append("errorMessage", errorMessage)
                .append("logs", logs)
                .append("createdAt", Date.from(createdAt));
    }

    static InvocationRecord fromDocument(Document d) {
        return new InvocationRecord(
                d.getString("_id"), d.getString("owner"), d.getString("functionId"), d.getString("functionName"),
                d.get("version", Number.class).longValue(), d.getString("alias"), d.getString("start"), d.getString("node"),
                d.get("initMicros", Number.class).longValue(), d.get("runMicros", Number.class).longValue(),
                d.get("totalMicros", Number.class).longValue(), d.getString("status"),
                d.getString("errorType"), d.getString("errorMessage"), d.getString("logs"),
                d.getDate("createdAt").toInstant());
    }

    /** The owner's view: durations in milliseconds, log lines as an array. */
    public Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", id);
        view.put("function", functionName);
        view.put("version", version);
        if (alias != null) {
            view.put("alias", alias);
        }
        view.put("start", start);
        if (node != null) {
            view.put("node", node);
        }
        view.put("status", status);
        view.put("initMs", millis(initMicros));
        view.put("runMs", millis(runMicros));
        view.put("totalMs", millis(totalMicros));
        if (errorType != null) {
            view.put("error", Map.of("type", errorType, "message", errorMessage == null ? "" : errorMessage));
        }
        view.put("logs", logLines());
        view.put("createdAt", createdAt.toString());
        return view;
    }

    /** The tagged log lines ({@code time<TAB>invocation id<TAB>stdout|stderr<TAB>text}). */
    public List<String> logLines() {
        return logs.isEmpty() ? List.of() : Arrays.asList(logs.split("\n"));
    }

    private static double millis(long micros) {
        return micros / 1000.0;
    }
}
