package dev.hearth.controlplane.async;

import dev.hearth.controlplane.http.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/** An async invocation's record as callers and callbacks see it: never the event, never the owner. */
final class AsyncRecordView {

    private AsyncRecordView() {}

    static Map<String, Object> of(Document d) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", d.getString("_id"));
        view.put("function", d.getString("functionName"));
        view.put("invocationType", "async");
        view.put("status", d.getString("status"));
        if (d.getString("qualifier") != null) {
            view.put("qualifier", d.getString("qualifier"));
        }
        if (d.get("version") instanceof Number version) {
            view.put("version", version.longValue());
        }
        if (d.getString("alias") != null) {
            view.put("alias", d.getString("alias"));
        }
        view.put("attempts", d.getInteger("attempts", 0));
        if (d.getString("result") != null) {
            view.put("result", Json.embeddable(d.getString("result")));
        }
        Document error = d.get("error", Document.class);
        if (error != null) {
            view.put("error", Map.of("type", String.valueOf(error.getString("type")), "message", String.valueOf(error.getString("message"))));
        }
        List<Map<String, Object>> history = new ArrayList<>();
        for (Document step : d.getList("history", Document.class, List.of())) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("at", step.getDate("at").toInstant().toString());
            s.put("status", step.getString("status"));
            s.put("start", step.getString("start"));
            if (step.get("version") instanceof Number version) {
                s.put("version", version.longValue());
            }
            if (step.getString("node") != null) {
                s.put("node", step.getString("node"));
            }
            if (step.getString("errorType") != null) {
                s.put("errorType", step.getString("errorType"));
            }
            history.add(s);
        }
        view.put("history", history);
        String logs = d.getString("logs");
        view.put("logs", logs == null || logs.isEmpty() ? List.of() : logs.lines().toList());
        if (d.getString("callbackUrl") != null) {
            view.put("callback", Map.of("url", d.getString("callbackUrl"),
                    "status", String.valueOf(d.get("callbackStatus") == null ? "pending" : d.getString("callbackStatus"))));
        }
        view.put("createdAt", d.getDate("createdAt").toInstant().toString());
        if (d.getDate("startedAt") != null) {
            view.put("startedAt", d.getDate("startedAt").toInstant().toString());
        }
        if (d.getDate("nextAttemptAt") != null
                && AsyncStatus.fromId(d.getString("status")).map(AsyncStatus::awaitsAttempt).orElse(false)) {
            view.put("nextAttemptAt", d.getDate("nextAttemptAt").toInstant().toString());
        }
        if (d.getDate("finishedAt") != null) {
            view.put("finishedAt", d.getDate("finishedAt").toInstant().toString());
        }
        return view;
    }
}
