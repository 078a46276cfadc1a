package dev.hearth.controlplane.function;

import dev.hearth.controlplane.stream.EventSink;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One follower of one build (one function version): the events it has been sent, so that
 * however it learns of the build (the build running here, or the store), it gets each status
 * change once, each log line once and in order, and exactly one {@code end}. A follower is
 * {@code waiting} until it is attached to the build running on this control plane, or learns from
 * the store that it ended; once attached it is {@code live}. Every method is synchronized: the
 * build's thread, the store polls and the change notices all reach it.
 */
final class BuildFollow {

    enum Mode { WAITING, LIVE, ENDED }

    private final EventSink sink;
    private final String owner;
    private final String name;
    private final String functionId;
    private final long version;
    private Mode mode = Mode.WAITING;
    private String status;
    private int sent;

    BuildFollow(EventSink sink, String owner, String name, String functionId, long version) {
        this.sink = sink;
        this.owner = owner;
        this.name = name;
        this.functionId = functionId;
        this.version = version;
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

    long version() {
        return version;
    }

    synchronized Mode mode() {
        return sink.isOpen() ? mode : Mode.ENDED;
    }

    /**
     * The build's status ({@code queued}, {@code building}), sent when it moved on. Never back:
     * the store and the build running here each tell it, one a moment before the other.
     */
    synchronized void status(String now) {
        if (mode == Mode.ENDED || rank(now) <= rank(status)) {
            return;
        }
        status = now;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("version", version);
        data.put("status", now);
        sink.send("status", data);
    }

    private static int rank(String status) {
        return status == null ? -1 : status.equals("queued") ? 0 : 1;
    }

    /** Attached to the build running here: its status and the lines it wrote so far, then each new one. */
    synchronized void attach(String now, List<String> linesSoFar) {
        if (mode != Mode.WAITING) {
            return;
        }
        status(now);
        linesSoFar.forEach(this::line);
        mode = Mode.LIVE;
    }

    /** The build's status as the store has it, sent unless the build running here tells it first. */
    synchronized void stored(String now) {
        if (mode == Mode.WAITING) {
            status(now);
        }
    }

    /** The build's end as the store has it, sent unless the build running here tells it. */
    synchronized void storedEnd(Map<String, Object> build, List<String> finalLines) {
        if (mode == Mode.WAITING) {
            finished(build, finalLines);
        }
    }

    /** Back to waiting: the build running here went without ending (the store tells what became of it). */
    synchronized void detach() {
        if (mode == Mode.LIVE) {
            mode = Mode.WAITING;
        }
    }

    synchronized void line(String line) {
        if (mode == Mode.ENDED) {
            return;
        }
        sent++;
        sink.send("log", Map.of("line", line));
    }

    /**
     * The build ended: the lines of its final log this follower has not had yet (those past the
     * ones sent), then {@code end} with the build as {@code GET …/build} shows it.
     */
    synchronized void finished(Map<String, Object> build, List<String> finalLines) {
        if (mode == Mode.ENDED) {
            return;
        }
        for (int i = sent; i < finalLines.size(); i++) {
            line(finalLines.get(i));
        }
        end(build);
    }

    /** A newer definition replaced the version followed: its build will never end. */
    synchronized void superseded() {
        end(Map.of("status", "superseded"));
    }

    /** The function is gone: {@code end} carries the 404 a request would get now. */
    synchronized void gone(Map<String, Object> error) {
        end(error);
    }

    private void end(Object data) {
        if (mode == Mode.ENDED) {
            return;
        }
        mode = Mode.ENDED;
        sink.end(data);
    }
}
