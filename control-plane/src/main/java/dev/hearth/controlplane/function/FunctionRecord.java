package dev.hearth.controlplane.function;

import dev.hearth.poolmanager.FunctionSpec;
import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.Workload;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.bson.Document;

/**
 * A stored function: one document of the {@code functions} collection.
 *
 * @param id           stable identity; a function deleted and created again under the same name gets a new one
 * @param language     the runtime of a source function; null for an image function
 * @param handler      the handler of a source function; null for an image function
 * @param image        the image of an image function; null for a source function
 * @param contract     how an image function is run; null for a source function
 * @param version      1 at creation, one more at every {@code PUT} that took effect
 * @param concurrency  most parallel activations, or 0 for no limit beyond the node's
 * @param sourceSha256 digest of the code as uploaded
 * @param codeSha256   digest of the code that runs: the build's output, or the upload when nothing is built
 * @param codeSize     bytes of the code that runs (the build's output, or the upload)
 * @param sourceSize   bytes of the upload (0 for an image function, and in records from before it was kept)
 * @param minWarm      containers kept specialized and ready even when idle
 * @param build        the build of the code, or null when it needed none
 * @param pending      a newer version still building (or whose build failed) while this one serves; usually null
 */
public record FunctionRecord(
        String id,
        String owner,
        String name,
        Language language,
        String handler,
        String image,
        Workload.Contract contract,
        long version,
        String sourceSha256,
        String codeSha256,
        long codeSize,
        long sourceSize,
        int memoryMb,
        int timeoutMs,
        int concurrency,
        Map<String, String> env,
        boolean egress,
        int minWarm,
        Status status,
        BuildInfo build,
        Instant createdAt,
        FunctionRecord pending) {

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
        if ((language == null) == (image == null)) {
            throw new IllegalArgumentException("a function has either a language or an image");
        }
        Objects.requireNonNull(status, "status");
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    /** The same function once its build has ended. */
    FunctionRecord built(Status newStatus, String newCodeSha256, long newCodeSize, BuildInfo newBuild) {
        return new FunctionRecord(id, owner, name, language, handler, image, contract, version, sourceSha256, newCodeSha256,
                newCodeSize, sourceSize, memoryMb, timeoutMs, concurrency, env, egress, minWarm, newStatus, newBuild, createdAt, null);
    }

    /** This version, with a newer one waiting on its build. */
    FunctionRecord withPending(FunctionRecord next) {
        return new FunctionRecord(id, owner, name, language, handler, image, contract, version, sourceSha256, codeSha256,
                codeSize, sourceSize, memoryMb, timeoutMs, concurrency, env, egress, minWarm, status, build, createdAt, next);
    }

    /**
     * The code this function keeps in the store against its owner's quota: the upload, and the
     * build's output when there is one, with a pending version's added.
     */
    long storedBytes() {
        long mine = 0;
        if (!isImage()) {
            boolean built = build != null;
            long upload = sourceSize > 0 ? sourceSize : built ? 0 : codeSize;
            mine = upload + (built ? codeSize : 0);
        }
        return mine + (pending == null ? 0 : pending.storedBytes());
    }

    boolean isImage() {
        return image != null;
    }

    /** The containers this function asks to keep warm: the serving version's or a pending one's, whichever is more. */
    int minWarmAsked() {
        return Math.max(minWarm, pending == null ? 0 : pending.minWarm);
    }

    /** The version the newest definition has: the pending one's, else this one's. */
    long latestVersion() {
        return pending == null ? version : Math.max(version, pending.version);
    }

    public FunctionSpec spec() {
        Workload workload = isImage() ? new Workload.Image(image, contract) : new Workload.Source(language, handler, codeSha256);
        return new FunctionSpec(id, owner, name, version, workload, memoryMb, timeoutMs, env, egress, minWarm);
    }

    /** What the owner sees over the API. */
    public Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", name);
        if (isImage()) {
            view.put("image", image);
            view.put("contract", contract.id());
        } else {
            view.put("runtime", language.id());
            view.put("handler", handler);
        }
        view.put("status", status.id());
        view.put("version", version);
        view.put("memoryMb", memoryMb);
        view.put("timeoutMs", timeoutMs);
        if (concurrency > 0) {
            view.put("concurrency", concurrency);
        }
        view.put("env", env);
        view.put("network", egress ? "egress" : "none");
        if (minWarm > 0) {
            view.put("minWarm", minWarm);
        }
        if (!isImage()) {
            view.put("sourceSha256", sourceSha256);
            if (status == Status.READY) {
                view.put("codeSha256", codeSha256);
                view.put("codeSize", codeSize);
            }
        }
        view.put("createdAt", createdAt.toString());
        if (pending != null) {
            view.put("update", Map.of("version", pending.version, "status", pending.status.id()));
        }
        return view;
    }

    Document toDocument() {
        return new Document("_id", id)
                .append("owner", owner)
                .append("name", name)
                .append("runtime", language == null ? null : language.id())
                .append("handler", handler)
                .append("image", image)
                .append("contract", contract == null ? null : contract.id())
                .append("version", version)
                .append("sourceSha256", sourceSha256)
                .append("codeSha256", codeSha256)
                .append("codeSize", codeSize)
                .append("sourceSize", sourceSize)
                .append("memoryMb", memoryMb)
                .append("timeoutMs", timeoutMs)
                .append("concurrency", concurrency)
                .append("env", new Document(new LinkedHashMap<>(env)))
                .append("egress", egress)
                .append("minWarm", minWarm)
                .append("status", status.id())
                .append("build", build == null ? null : build.toDocument())
                .append("createdAt", Date.from(createdAt))
                .append("pending", pending == null ? null : pending.toDocument());
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
                Language.byId(d.getString("runtime")).orElse(null),
                d.getString("handler"),
                d.getString("image"),
                Workload.Contract.byId(d.getString("contract")).orElse(null),
                d.get("version", Number.class).longValue(),
                d.getString("sourceSha256"),
                d.getString("codeSha256"),
                number(d, "codeSize"),
                number(d, "sourceSize"),
                d.get("memoryMb", Number.class).intValue(),
                d.get("timeoutMs", Number.class).intValue(),
                d.get("concurrency", Number.class).intValue(),
                env,
                Boolean.TRUE.equals(d.getBoolean("egress")),
                (int) number(d, "minWarm"),
                Status.valueOf(d.getString("status").toUpperCase(java.util.Locale.ROOT)),
                BuildInfo.fromDocument(d.get("build", Document.class)),
                d.getDate("createdAt").toInstant(),
                d.get("pending") instanceof Document next ? fromDocument(next) : null);
    }

    /** A number field, 0 when absent (documents written before the field existed). */
    private static long number(Document d, String field) {
        Number n = d.get(field, Number.class);
        return n == null ? 0 : n.longValue();
    }
}
