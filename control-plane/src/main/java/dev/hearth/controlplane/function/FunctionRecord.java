package dev.hearth.controlplane.function;

import dev.hearth.poolmanager.FunctionSettings;
import dev.hearth.poolmanager.FunctionSpec;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A stored function version: one document of the {@code functions} collection ({@link FunctionDocument}).
 *
 * @param id       stable identity; a function deleted and created again under the same name gets a new one
 * @param version  1 at creation, one more at every {@code PUT} that took effect
 * @param workload what it runs: source code (the upload and what its build made) or an image
 * @param build    the build of the code, or null when it needed none
 * @param pending  a newer version still building (or whose build failed) while this one serves; usually null
 * @param createdAt when the function was created (the same for all its versions)
 * @param versionCreatedAt when this version was made
 * @param description the owner's words for this version, or null
 * @param aliases  the function's aliases by name, kept on the serving record (the function's own document);
 *                 empty on other versions
 * @param labels   the function's labels ({@link Labels}), like its aliases the function's own, not a version's:
 *                 kept on the function's own document, empty on other versions
 */
public record FunctionRecord(
        String id,
        String owner,
        String name,
        long version,
        StoredWorkload workload,
        FunctionSettings settings,
        Status status,
        BuildInfo build,
        Instant createdAt,
        FunctionRecord pending,
        Instant versionCreatedAt,
        String description,
        Map<String, Alias> aliases,
        Map<String, String> labels) {

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
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(status, "status");
        aliases = aliases == null ? Map.of() : Map.copyOf(aliases);
        labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(labels));
        versionCreatedAt = versionCreatedAt == null ? createdAt : versionCreatedAt;
    }

    /** A new definition: it waits on its build when it has one, else it is ready at once. */
    static FunctionRecord defined(String id, String owner, String name, long version, StoredWorkload workload,
                                  FunctionSettings settings, BuildInfo build, Instant createdAt, Instant now, String description) {
        Status status = build == null ? Status.READY : Status.BUILDING;
        return new FunctionRecord(id, owner, name, version, workload, settings, status, build, createdAt, null, now, description,
                Map.of(), Map.of());
    }

    /** The same function once its build has ended. */
    FunctionRecord built(Status newStatus, String newCodeSha256, long newCodeSize, BuildInfo newBuild) {
        return new FunctionRecord(id, owner, name, version, source().built(newCodeSha256, newCodeSize), settings, newStatus,
                newBuild, createdAt, null, versionCreatedAt, description, aliases, labels);
    }

    /** This version, with a newer one waiting on its build. */
    FunctionRecord withPending(FunctionRecord next) {
        return new FunctionRecord(id, owner, name, version, workload, settings, status, build, createdAt, next, versionCreatedAt,
                description, aliases, labels);
    }

    /** This version as it serves under {@code head}: the function's {@code concurrency} and {@code minWarm} apply to every version. */
    FunctionRecord under(FunctionRecord head) {
        FunctionSettings own = settings;
        FunctionSettings function = head.settings;
        var merged = new FunctionSettings(own.memoryMb(), own.timeoutMs(), function.concurrency(), own.env(), own.egress(),
                function.minWarm());
        return new FunctionRecord(id, owner, name, version, workload, merged, status, build, createdAt, null, versionCreatedAt, description,
                Map.of(), Map.of());
    }

    /** This version asking no containers kept warm: its kept ones become ordinary warm ones. */
    FunctionRecord unkept() {
        FunctionSettings s = settings;
        return new FunctionRecord(id, owner, name, version, workload,
                new FunctionSettings(s.memoryMb(), s.timeoutMs(), s.concurrency(), s.env(), s.egress(), 0),
                status, build, createdAt, null, versionCreatedAt, description, Map.of(), Map.of());
    }

    /** The same function with its aliases as given. */
    FunctionRecord withAliases(Map<String, Alias> newAliases) {
        return new FunctionRecord(id, owner, name, version, workload, settings, status, build, createdAt, pending, versionCreatedAt,
                description, newAliases, labels);
    }

    /** The same function with its labels as given. */
    FunctionRecord withLabels(Map<String, String> newLabels) {
        return new FunctionRecord(id, owner, name, version, workload, settings, status, build, createdAt, pending, versionCreatedAt,
                description, aliases, newLabels);
    }

    /**
     * The versions the function keeps warm for: the serving one and every version an alias
     * routes to ({@code minWarm} applies to each of them).
     */
    java.util.SortedSet<Long> targets() {
        return targetsOnceServing(version);
    }

    /** The code of a source function, the only kind that is built. */
    StoredWorkload.Source source() {
        if (workload instanceof StoredWorkload.Source source) {
            return source;
        }
        throw new IllegalStateException("image function " + name + " has no source code");
    }


    /**
     * The containers this function asks to keep warm: its {@code minWarm} (the serving version's or a
     * pending one's, whichever is more) for each version it keeps warm for ({@link #targets}); with
     * a version still building, at least what it asks once that version serves beside the aliases' targets.
     */
    int minWarmAsked() {
        int asked = Math.max(settings.minWarm(), pending == null ? 0 : pending.settings.minWarm()) * targets().size();
        if (pending == null || pending.status != Status.BUILDING) {
            return asked;
        }
        return Math.max(asked, pending.settings.minWarm() * targetsOnceServing(pending.version).size());
    }

    /** The versions kept warm for once {@code serving} serves: it and every version an alias routes to. */
    java.util.SortedSet<Long> targetsOnceServing(long serving) {
        java.util.SortedSet<Long> targets = new java.util.TreeSet<>();
        targets.add(serving);
        aliases.values().forEach(alias -> targets.addAll(alias.versions()));
        return targets;
    }

    /** The version the newest definition has: the pending one's, else this one's. */
    long latestVersion() {
        return pending == null ? version : Math.max(version, pending.version);
    }

    public FunctionSpec spec() {
        return new FunctionSpec(id, owner, name, version, workload.workload(), settings);
    }

    /** What the owner sees over the API. */
    public Map<String, Object> view() {
        StoredWorkload.Source source = workload instanceof StoredWorkload.Source s ? s : null;
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", name);
        if (source == null) {
            var image = ((StoredWorkload.Image) workload).workload();
            view.put("image", image.reference());
            view.put("contract", image.contract().id());
        } else {
            view.put("runtime", source.language().id());
            view.put("lambdaRuntime", source.language().lambdaRuntime());
            view.put("handler", source.handler());
        }
        view.put("status", status.id());
        view.put("version", version);
        view.put("memoryMb", settings.memoryMb());
        view.put("timeoutMs", settings.timeoutMs());
        if (settings.concurrency() > 0) {
            view.put("concurrency", settings.concurrency());
        }
        view.put("env", settings.env());
        view.put("network", settings.egress() ? "egress" : "none");
        if (settings.minWarm() > 0) {
            view.put("minWarm", settings.minWarm());
        }
        if (source != null) {
            view.put("sourceSha256", source.sourceSha256());
            if (status == Status.READY) {
                view.put("codeSha256", source.codeSha256());
                view.put("codeSize", source.codeSize());
            }
        }
        view.put("createdAt", createdAt.toString());
        view.put("versionCreatedAt", versionCreatedAt.toString());
        if (description != null) {
            view.put("description", description);
        }
        view.put("labels", labels);
        if (pending != null) {
            view.put("update", Map.of("version", pending.version, "status", pending.status.id()));
        }
        return view;
    }
}
