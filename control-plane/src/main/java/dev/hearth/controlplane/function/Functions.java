package dev.hearth.controlplane.function;

import com.mongodb.client.MongoDatabase;
import dev.hearth.controlplane.http.ApiException;
import dev.hearth.poolmanager.PoolManager;
import dev.hearth.poolmanager.build.Builder;
import dev.hearth.poolmanager.code.PeriodicSweep;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The functions of all users: creating, finding (through the {@link Resolver}'s cache, so an
 * invocation costs no store query), redefining as a new version, patching and deleting, which
 * also retires the function's containers. Every change of what runs makes a new immutable
 * version ({@link Versions}); the unqualified name serves the newest ready one, aliases
 * ({@link Aliases}) others. Every lookup is by (owner, name): another user's function is simply
 * not found. Creates and new versions are held to the owner's {@link Quotas}; archives no version
 * refers to any more are swept from the store ({@link ArchiveSweep}).
 */
public final class Functions implements AutoCloseable {

    private final FunctionStore store;
    private final PoolManager pool;
    private final FunctionBuilds builds;
    private final Quotas quotas;
    private final PeriodicSweep sweeping;
    private final SettingRanges ranges;
    private final Resolver resolver;
    private final Versions versions;
    private final Aliases aliases;
    private final Targets targets;
    private final Definitions definitions;

    /** Tells the other control planes sharing the store that a function changed (a no-op when alone). */
    @FunctionalInterface
    public interface Changes {
        void publish(String owner, String name);
    }

    private volatile Changes changes = (owner, name) -> {};
    private final LiveBuilds liveBuilds = new LiveBuilds();
    private final List<java.util.function.BiConsumer<String, String>> changeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<java.util.function.Consumer<FunctionRecord>> deletions = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** {@code listener} is told of every function deleted here (what hangs off a function goes with it). */
    public void whenDeleted(java.util.function.Consumer<FunctionRecord> listener) {
        deletions.add(listener);
    }

    /** Where changes are announced; set once at start, before requests are served. */
    public void announceChangesTo(Changes changes) {
        this.changes = changes;
    }

    /** Another control plane changed the function: the next call reads it from the store. */
    public void forget(String owner, String name) {
        resolver.forget(owner, name);
        changeListeners.forEach(listener -> listener.accept(owner, name));
    }

    /**
     * {@code listener} is told of every change of a function, made here or on another control
     * plane (owner, name), once it is in the store; on the changing thread, so it must not block.
     */
    public void whenChanged(java.util.function.BiConsumer<String, String> listener) {
        changeListeners.add(listener);
    }

    /** The builds this control plane runs, as they run, for their followers. */
    LiveBuilds liveBuilds() {
        return liveBuilds;
    }

    private void changed(String owner, String name) {
        forget(owner, name);
        changes.publish(owner, name);
    }

    /**
     * @param builderImageId the builder image's content id, part of every build's cache key
     */
    public Functions(MongoDatabase database, CodeStore code, Limits limits, StorageSettings storage,
                     BuildSettings buildSettings, int userMaxMinWarm, PoolManager pool, Builder builder, String builderImageId, Clock clock) {
        this.store = new FunctionStore(database);
        this.pool = pool;
        this.quotas = new Quotas(store, storage, userMaxMinWarm);
        this.ranges = SettingRanges.of(limits);
        this.resolver = new Resolver(store, () -> ThreadLocalRandom.current().nextDouble());
        this.versions = new Versions(store, quotas, pool, storage.maxVersions(), this::changed);
        this.targets = new Targets(store, quotas, pool, versions);
        this.aliases = new Aliases(store, quotas, targets, clock, this::changed);
        this.builds = new FunctionBuilds(database, store, code, quotas, builder, builderImageId,
                buildSettings.slots(), buildSettings.userSlots(), clock, liveBuilds, this::buildFinished);
        this.definitions = new Definitions(store, code, new FunctionValidator(limits), pool, builds, quotas, targets, resolver,
                clock, builder.nodeId(), this::changed);
        builds.resumeInterrupted();
        store.keptWarm().forEach(targets::prepare);
        var sweep = new ArchiveSweep(store, code, builds::outputGone, storage.codeGrace(), clock);
        this.sweeping = PeriodicSweep.start("code-store-sweep", sweep.every(), sweep.every(), () -> {
            sweep.run();
            return sweep.every();
        });
    }

    private void buildFinished(FunctionRecord function) {
        changed(function.owner(), function.name());
        if (function.status() == FunctionRecord.Status.READY) {
            targets.serve(function.id());
        }
    }

    /** The function's versions: list, read, delete. */
    Versions versions() {
        return versions;
    }

    /** The function's aliases: list, read, point, delete. */
    Aliases aliases() {
        return aliases;
    }

    FunctionRecord create(String owner, NewFunction request) {
        return definitions.create(owner, request);
    }

    /** {@code PUT}: the whole definition replaced as a new version (see {@link Definitions#update}). */
    FunctionRecord update(String owner, String name, NewFunction request) {
        return definitions.update(owner, name, request);
    }

    /** The caller's function of that name (its serving version), or 404. */
    public FunctionRecord get(String owner, String name) {
        return resolver.get(owner, name);
    }

    /** The version a call on {@code qualifier} (null, {@code $LATEST}, a number or an alias) runs, or 404. */
    public Resolver.Target resolve(String owner, String name, String qualifier) {
        return resolver.resolve(owner, name, qualifier);
    }

    /**
     * {@code PATCH}: {@code concurrency}, {@code minWarm} and {@code labels} belong to the function
     * and change in place; a new {@code timeoutMs} changes what runs, so it makes a new version.
     */
    FunctionRecord patch(String owner, String name, FunctionPatch request) {
        FunctionValidator.checkName(name);
        FunctionPatch patch = request.validate(ranges);
        if (patch.timeoutMs() != null) {
            FunctionRecord current = store.find(owner, name).orElseThrow(() -> notFound(name));
            if (current.status() != FunctionRecord.Status.READY
                    || (current.pending() != null && current.pending().status() == FunctionRecord.Status.BUILDING)) {
                throw ApiException.conflict("'" + name + "' has a version still building; wait for it, or PUT the whole definition");
            }
            if (current.workload() instanceof StoredWorkload.Image image && patch.minWarm() != null) {
                FunctionValidator.checkMinWarm(image.workload().contract(), patch.minWarm());
            }
            return definitions.retimed(owner, name, patch);
        }
        List<org.bson.conversions.Bson> changes = new java.util.ArrayList<>();
        if (patch.concurrency() != null) {
            changes.add(com.mongodb.client.model.Updates.set("concurrency", patch.concurrency()));
        }
        if (patch.minWarm() != null) {
            changes.add(com.mongodb.client.model.Updates.set("minWarm", patch.minWarm()));
        }
        if (patch.labels() != null) {
            changes.add(com.mongodb.client.model.Updates.set("labels", FunctionDocument.labels(patch.labels())));
        }
        // The minWarm cap is checked, and the change written, under the owner's lock.
        boolean updated = quotas.locked(owner, () -> {
            if (patch.minWarm() != null) {
                FunctionRecord current = store.find(owner, name).orElseThrow(() -> notFound(name));
                if (current.workload() instanceof StoredWorkload.Image image) {
                    FunctionValidator.checkMinWarm(image.workload().contract(), patch.minWarm());
                }
                int pending = current.pending() == null ? 0 : current.pending().settings().minWarm();
                quotas.checkMinWarm(current, Math.max(patch.minWarm(), pending) * current.targets().size(), patch.minWarm());
            }
            return store.update(owner, name, com.mongodb.client.model.Updates.combine(changes));
        });
        if (!updated) {
            throw notFound(name);
        }
        changed(owner, name);
        FunctionRecord patched = get(owner, name);
        if (patch.minWarm() != null && patched.status() == FunctionRecord.Status.READY) {
            targets.prepare(patched);
        }
        return patched;
    }

    /**
     * The latest build of the caller's function, read from the store (never the route cache):
     * a pending version's when there is one, else the serving version's; empty when that needed none.
     */
    Optional<FunctionRecord> latestBuild(String owner, String name) {
        FunctionValidator.checkName(name);
        FunctionRecord function = store.find(owner, name).orElseThrow(() -> notFound(name));
        FunctionRecord latest = function.pending() != null ? function.pending() : function;
        return latest.build() == null ? Optional.empty() : Optional.of(latest);
    }

    /** The owner's functions named after {@code after} (null: from the first), at most {@code limit}, by name. */
    FunctionStore.Page list(String owner, String after, int limit) {
        if (after != null && !FunctionValidator.NAME.matcher(after).matches()) {
            throw ApiException.badRequest("after must be a function name: the 'next' of the page before");
        }
        return store.list(owner, after, limit);
    }

    void delete(String owner, String name) {
        FunctionValidator.checkName(name);
        FunctionRecord deleted = store.delete(owner, name).orElseThrow(() -> notFound(name));
        changed(owner, name);
        builds.cancel(deleted);
        pool.retire(deleted.id());
        deletions.forEach(listener -> listener.accept(deleted));
    }

    @Override
    public void close() {
        sweeping.close();
        builds.close();
    }

    static ApiException notFound(String name) {
        return ApiException.notFound("no function named '" + name + "'");
    }

    static ApiException conflict(String name) {
        return ApiException.conflict("a function named '" + name + "' already exists");
    }
}
