package dev.hearth.controlplane.function;

import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bson.Document;

/**
 * The build of a function's code, kept with the function.
 *
 * @param status {@code building}, {@code succeeded} or {@code failed}
 * @param log    what the builder printed (compiler and installer messages), cut at 256 KiB
 * @param cached the output of an earlier identical build was reused: nothing was built
 * @param node   the control plane running the build, which resumes it if it stops midway (null in old records)
 */
public record BuildInfo(String status, String log, Instant startedAt, Instant finishedAt, boolean cached, String node) {

    static BuildInfo started(Instant now, String node) {
        return new BuildInfo("building", "", now, null, false, node);
    }

    /** Whether the control plane {@code node} resumes this build after a stop: its own, or one from before builds named their node. */
    boolean resumedBy(String node) {
        return this.node == null || this.node.equals(node);
    }

    Document toDocument() {
        return new Document("status", status).append("log", log)
                .append("startedAt", Date.from(startedAt))
                .append("finishedAt", finishedAt == null ? null : Date.from(finishedAt))
                .append("cached", cached)
                .append("node", node);
    }

    static BuildInfo fromDocument(Document d) {
        if (d == null) {
            return null;
        }
        Date finished = d.getDate("finishedAt");
        return new BuildInfo(d.getString("status"), d.getString("log"), d.getDate("startedAt").toInstant(),
                finished == null ? null : finished.toInstant(), Boolean.TRUE.equals(d.getBoolean("cached")),
                d.getString("node"));
    }

    Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("status", status);
        view.put("cached", cached);
        view.put("startedAt", startedAt.toString());
        if (finishedAt != null) {
            view.put("finishedAt", finishedAt.toString());
            view.put("durationMs", finishedAt.toEpochMilli() - startedAt.toEpochMilli());
        }
        view.put("log", log);
        return view;
    }
}
