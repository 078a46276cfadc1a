package dev.hearth.controlplane.function;

import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.bson.Document;

/**
 * The build of a function's code, kept with the function. A build waits for one of its control
 * plane's build slots ({@code queued}), runs ({@code building}) and ends; the wait and the
 * builder's own time are told apart.
 *
 * @param status     {@code queued}, {@code building}, {@code succeeded} or {@code failed}
 * @param log        what the builder printed (compiler and installer messages, cut at the builder's limit), and Hearth's notes
 * @param queuedAt   when the build was asked for
 * @param startedAt  when it got a build slot and started; null while queued
 * @param finishedAt when it ended; null until then
 * @param cached     the output of an earlier identical build was reused: nothing was built
 * @param node       the control plane running the build, which resumes it if it stops midway (null in old records)
 */
public record BuildInfo(String status, String log, Instant queuedAt, Instant startedAt, Instant finishedAt, boolean cached,
                        String node) {

    private static final Set<String> STATUSES = Set.of("queued", "building", "succeeded", "failed");

    public BuildInfo {
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("unknown build status: " + status);
        }
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(queuedAt, "queuedAt");
        if (startedAt == null && (finishedAt != null || !status.equals("queued"))) {
            throw new IllegalArgumentException("a build that is not queued has started");
        }
    }

    /** A build just asked for, waiting for a slot. */
    static BuildInfo queued(Instant now, String node) {
        return new BuildInfo("queued", "", now, null, null, false, node);
    }

    /** This build, given a slot at {@code now}. */
    BuildInfo started(Instant now) {
        return new BuildInfo("building", "", queuedAt, now, null, false, node);
    }

    /** This started build, ended at {@code now}. */
    BuildInfo ended(boolean succeeded, String output, Instant now, boolean reused) {
        if (startedAt == null) {
            throw new IllegalStateException("a build ends only after it started");
        }
        return new BuildInfo(succeeded ? "succeeded" : "failed", output, queuedAt, startedAt, now, reused, node);
    }

    /** Whether the control plane {@code node} resumes this build after a stop: its own, or one from before builds named their node. */
    boolean resumedBy(String node) {
        return this.node == null || this.node.equals(node);
    }

    Document toDocument() {
        return new Document("status", status).append("log", log)
                .append("queuedAt", Date.from(queuedAt))
                .append("startedAt", startedAt == null ? null : Date.from(startedAt))
                .append("finishedAt", finishedAt == null ? null : Date.from(finishedAt))
                .append("cached", cached)
                .append("node", node);
    }

    static BuildInfo fromDocument(Document d) {
        if (d == null) {
            return null;
        }
        Instant started = instant(d, "startedAt");
        // Records from before builds queued had no wait: they started when they were asked for.
        Instant queued = d.containsKey("queuedAt") ? instant(d, "queuedAt") : started;
        return new BuildInfo(d.getString("status"), d.getString("log"), queued, started, instant(d, "finishedAt"),
                Boolean.TRUE.equals(d.getBoolean("cached")), d.getString("node"));
    }

    private static Instant instant(Document d, String field) {
        Date date = d.getDate(field);
        return date == null ? null : date.toInstant();
    }

    /**
     * What the owner sees: {@code queuedMs} is the wait for a slot, {@code durationMs} the
     * builder's own time, each once known.
     */
    Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("status", status);
        view.put("cached", cached);
        view.put("queuedAt", queuedAt.toString());
        if (startedAt != null) {
            view.put("startedAt", startedAt.toString());
            view.put("queuedMs", startedAt.toEpochMilli() - queuedAt.toEpochMilli());
        }
        if (finishedAt != null) {
            view.put("finishedAt", finishedAt.toString());
            view.put("durationMs", finishedAt.toEpochMilli() - startedAt.toEpochMilli());
        }
        view.put("log", log);
        return view;
    }
}
