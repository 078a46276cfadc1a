package dev.hearth.poolmanager.nats;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.FunctionSpec.VersionKey;
import dev.hearth.poolmanager.Invocation;
import dev.hearth.poolmanager.Outcome;
import dev.hearth.poolmanager.PoolStats;
import dev.hearth.poolmanager.StartKind;
import dev.hearth.poolmanager.Workload;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What control planes and pool-manager nodes say to each other over NATS. Small metadata travels
 * as JSON (in the {@value #META} header when a message also carries bytes); events and results
 * travel as the raw message body, so a 6 MB event is 6 MB on the wire, not 8 after base64.
 */
final class Wire {

    /** Header carrying a message's JSON metadata. */
    static final String META = "Hearth-Meta";

    // Subjects. Direct subjects end in the node id; the rest are shared by a queue group or broadcast.
    static final String INVOKE_ANY = "hearth.invoke";
    static final String PREPARE = "hearth.prepare";
    static final String IMAGE = "hearth.image.require";
    static final String RETIRE = "hearth.retire";
    static final String ANNOUNCE = "hearth.nodes.announce";
    static final String HELLO = "hearth.nodes.hello";
    static final String CODE = "hearth.code.fetch";
    /** Queue group of every pool-manager node: a message to it reaches exactly one of them. */
    static final String NODES = "hearth-nodes";
    /** Queue group of every control plane. */
    static final String CONTROL_PLANES = "hearth-control-planes";

    static String invokeSubject(String node) {
        return "hearth.node." + node + ".invoke";
    }

    /** Preparations ({@code minWarm}) meant for one node. */
    static String prepareSubject(String node) {
        return PREPARE + "." + node;
    }

    /**
     * A function version crosses the wire as its {@link FunctionSpec}, the workload's kind named
     * beside its fields; the model itself knows nothing of JSON.
     */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
    @JsonSubTypes({@JsonSubTypes.Type(value = Workload.Source.class, name = "source"),
            @JsonSubTypes.Type(value = Workload.Image.class, name = "image")})
    private interface WorkloadKinds {}

    static final ObjectMapper JSON = new ObjectMapper()
            .addMixIn(Workload.class, WorkloadKinds.class)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Wire() {}

    /** Metadata of an invoke request; the body is the event. */
    /** An invoke's metadata; the message's data is the event. Qualifier and client context may be null. */
    record InvokeMeta(FunctionSpec function, String invocationId, String qualifier, String clientContext) {}

    /**
     * Metadata of an invoke reply; the body is the outcome's JSON (result or error), if any.
     *
     * @param outcome   success, error, timeout or crashed; null when the platform failed ({@code error})
     * @param served    how many invocations the node had finished when it sent this, to order it against announcements
     * @param capacity  the node was full: the call never ran and may go elsewhere
     * @param exitStatus a crashed container's exit status, when known
     */
    record ReplyMeta(String node, String start, String outcome, String reason, Integer timeoutMs, long initMicros,
                     long runMicros, byte[] logs, long served, String error, boolean capacity, Integer exitStatus) {

        static ReplyMeta of(Invocation invocation, long served) {
            String kind;
            String reason = null;
            Integer timeout = null;
            Integer exitStatus = null;
            if (invocation.outcome() instanceof Outcome.Success) {
                kind = "success";
            } else if (invocation.outcome() instanceof Outcome.FunctionError) {
                kind = "error";
            } else if (invocation.outcome() instanceof Outcome.Timeout t) {
                kind = "timeout";
                timeout = t.timeoutMs();
            } else {
                kind = "crashed";
                var crashed = (Outcome.Crashed) invocation.outcome();
                reason = crashed.reason();
                exitStatus = crashed.exitStatus();
            }
            return new ReplyMeta(invocation.node(), invocation.start().header(), kind, reason, timeout, invocation.initMicros(),
                    invocation.runMicros(), invocation.logs(), served, null, false, exitStatus);
        }

        static ReplyMeta failure(String node, String error, boolean capacity, long served) {
            return new ReplyMeta(node, null, null, null, null, 0, 0, null, served, error, capacity, null);
        }

        Invocation toInvocation(String invocationId, byte[] body) {
            Outcome result = switch (outcome) {
                case "success" -> new Outcome.Success(body);
                case "error" -> new Outcome.FunctionError(body);
                case "timeout" -> new Outcome.Timeout(timeoutMs == null ? 0 : timeoutMs);
                case "crashed" -> new Outcome.Crashed(reason, exitStatus);
                default -> throw new IllegalArgumentException("unknown outcome " + outcome);
            };
            return new Invocation(invocationId, StartKind.valueOf(start.toUpperCase(java.util.Locale.ROOT)), result,
                    initMicros, runMicros, logs, node);
        }
    }

    /** The body of an outcome: the result or error JSON; nothing for timeouts and crashes. */
    static byte[] body(Outcome outcome) {
        if (outcome instanceof Outcome.Success s) {
            return s.json();
        }
        if (outcome instanceof Outcome.FunctionError e) {
            return e.json();
        }
        return new byte[0];
    }

    /** One function version's idle containers on a node. */
    record Idle(String f, long v, int n) {}

    /**
     * A node's heartbeat: what it holds and how busy it is. Sent every second and when it leaves.
     *
     * @param served  invocations finished so far when the snapshot was taken
     * @param kept    versions the node keeps {@code minWarm} containers for
     * @param leaving the node is shutting down: forget it now
     */
    record Announcement(String node, long served, boolean ready, int maxContainers, int busy, int warm,
                        Map<String, Integer> prewarmed, Map<String, Integer> starting, List<Idle> idle, List<Idle> kept,
                        boolean leaving) {

        static Announcement of(String node, long served, boolean ready, PoolStats stats, boolean leaving) {
            List<Idle> idle = new ArrayList<>();
            stats.idle().forEach((key, n) -> idle.add(new Idle(key.functionId(), key.version(), n)));
            List<Idle> kept = new ArrayList<>();
            stats.kept().forEach(key -> kept.add(new Idle(key.functionId(), key.version(), 0)));
            return new Announcement(node, served, ready, stats.maxContainers(), stats.busy(), stats.warm(), stats.prewarmed(),
                    stats.starting(), idle, kept, leaving);
        }

        Map<VersionKey, Integer> idleByVersion() {
            Map<VersionKey, Integer> map = new HashMap<>();
            if (idle != null) {
                idle.forEach(i -> map.put(new VersionKey(i.f(), i.v()), i.n()));
            }
            return map;
        }

        Set<VersionKey> keptVersions() {
            Set<VersionKey> set = new HashSet<>();
            if (kept != null) {
                kept.forEach(i -> set.add(new VersionKey(i.f(), i.v())));
            }
            return set;
        }
    }

    /**
     * Retires versions of a function on every node: all of them when {@code all} (the function was
     * deleted), else exactly {@code versions} (none when empty), the other versions untouched.
     */
    record Retire(String functionId, List<Long> versions, boolean all) {
        Retire {
            Objects.requireNonNull(functionId, "functionId");
            versions = versions == null ? List.of() : List.copyOf(versions);
        }

        /** Every version of the deleted function. */
        static Retire all(String functionId) {
            return new Retire(functionId, List.of(), true);
        }

        /** Exactly these versions. */
        static Retire of(String functionId, Set<Long> versions) {
            return new Retire(functionId, versions.stream().sorted().toList(), false);
        }
    }

    /** The answer to an image check: null error when the image is there. */
    record ImageReply(String error, boolean unknown) {}

    static byte[] write(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> T read(byte[] bytes, Class<T> type) {
        try {
            return JSON.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException("malformed " + type.getSimpleName() + " message", e);
        }
    }

    static Headers meta(Object value) {
        try {
            return new Headers().put(META, JSON.writeValueAsString(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> T meta(io.nats.client.Message message, Class<T> type) {
        Headers headers = message.getHeaders();
        String value = headers == null ? null : headers.getFirst(META);
        if (value == null) {
            throw new IllegalArgumentException("message on " + message.getSubject() + " has no " + META + " header");
        }
        try {
            return JSON.readValue(value, type);
        } catch (IOException e) {
            throw new UncheckedIOException("malformed " + type.getSimpleName() + " header", e);
        }
    }
}
