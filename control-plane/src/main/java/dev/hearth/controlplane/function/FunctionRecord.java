package dev.hearth.controlplane.function;

import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.Language;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.bson.Document;

/**
 * A stored function: one document of the {@code functions} collection.
 *
 * @param id          stable identity; a function deleted and created again under the same name gets a new one
 * @param concurrency most parallel activations, or 0 for no limit beyond the node's
 * @param sourceSha256 digest of the code as uploaded
 * @param codeSha256   digest of the code that runs: the build's output, or the upload when nothing is built
 * @param build        the build of the code, or null when it needed none
 */
public record FunctionRecord(
        String id,
        String owner,
        String name,
        Language language,
        String handler,
        long version,
        String sourceSha256,
        String codeSha256,
        long codeSize,
        int memoryMb,
        int timeoutMs,
        int concurrency,
        Map<String, String> env,
        boolean egress,
        Status status,
        BuildInfo build,
        Instant createdAt) {

    public enum Status {
        BUILDING, READY, FAILED;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public FunctionRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(status, "status");
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    /** The same function once its build has ended. */
    FunctionRecord built(Status newStatus, String newCodeSha256, long newCodeSize, BuildInfo newBuild) {
        return new FunctionRecord(id, owner, name, language, handler, version, sourceSha256, newCodeSha256, newCodeSize,
                memoryMb, timeoutMs, concurrency, env, egress, newStatus, newBuild, createdAt);
    }

    public FunctionSpec spec() {
        return new FunctionSpec(id, name, version, language, handler, codeSha256, memoryMb, timeoutMs, env, egress);
    }

    /** What the owner sees over the API. */
    public Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", name);
        view.put("runtime", language.id());
        view.put("handler", handler);
        view.put("status", status.id());
        view.put("version", version);
        view.put("memoryMb", memoryMb);
        view.put("timeoutMs", timeoutMs);
        if (concurrency > 0) {
            view.put("concurrency", concurrency);
        }
        view.put("env", env);
        view.put("network", egress ? "egress" : "none");
        view.put("sourceSha256", sourceSha256);
        if (status == Status.READY) {
            view.put("codeSha256", codeSha256);
            view.put("codeSize", codeSize);
        }
        view.put("createdAt", createdAt.toString());
        return view;
    }

    Document toDocument() {
        return new Document("_id", id)
                .append("owner", owner)
                .append("name", name)
                .append("runtime", language.id())
                .append("handler", handler)
                .append("version", version)
                .append("sourceSha256", sourceSha256)
                .append("codeSha256", codeSha256)
                .append("codeSize", codeSize)
                .append("memoryMb", memoryMb)
                .append("timeoutMs", timeoutMs)
                .append("concurrency", concurrency)
                .append("env", new Document(new LinkedHashMap<>(env)))
                .append("egress", egress)
                .append("status", status.id())
                .append("build", build == null ? null : build.toDocument())
                .append("createdAt", Date.from(createdAt));
    }

    static FunctionRecord fromDocument(Document d) {
        Map<String, String> env = new LinkedHashMap<>();
        Document envDoc = d.get("env", Document.class);
        if (envDoc != null) {
            envDoc.forEach((k, v) -> env.put(k, String.valueOf(v)));
        }
        return new FunctionRecord(
                d.getString("_id"),
                d.getString("owner"),
                d.getString("name"),
                Language.byId(d.getString("runtime")).orElseThrow(),
                d.getString("handler"),
                d.get("version", Number.class).longValue(),
                d.getString("sourceSha256"),
                d.getString("codeSha256"),
                d.get("codeSize", Number.class).longValue(),
                d.get("memoryMb", Number.class).intValue(),
                d.get("timeoutMs", Number.class).intValue(),
                d.get("concurrency", Number.class).intValue(),
                env,
                Boolean.TRUE.equals(d.getBoolean("egress")),
                Status.valueOf(d.getString("status").toUpperCase(java.util.Locale.ROOT)),
                BuildInfo.fromDocument(d.get("build", Document.class)),
                d.getDate("createdAt").toInstant());
    }
}
