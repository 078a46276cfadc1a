package dev.hearth.controlplane.function;

import com.mongodb.client.MongoDatabase;
import dev.hearth.controlplane.http.ApiException;
import dev.hearth.poolmanager.PoolManager;
import dev.hearth.poolmanager.UnknownImageException;
import dev.hearth.poolmanager.build.Builder;
import dev.hearth.poolmanager.code.PeriodicSweep;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
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
    private final CodeStore code;
    private final FunctionValidator validator;
    private final PoolManager pool;
    private final FunctionBuilds builds;
    private final Quotas quotas;
    private final PeriodicSweep sweeping;
    private final SettingRanges ranges;
    private final Clock clock;
    private final String builderNode;
    private final Resolver resolver;
    private final Versions versions;
    private final Aliases aliases;
    private final Targets targets;

    /** Tells the other control planes sharing the store that a function changed (a no-op when alone). */
    @FunctionalInterface
    public interface Changes {
        void publish(String owner, String name);
    }

    private volatile Changes changes = (owner, name) -> {};

    /** Where changes are announced; set once at start, before requests are served. */
    public void announceChangesTo(Changes changes) {
        this.changes = changes;
    }

    /** Another control plane changed the function: the next call reads it from the store. */
    public void forget(String owner, String name) {
        resolver.forget(owner, name);
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
        this.quotas = new Quotas(store, storage, userMaxMinWarm);
        this.code = code;
        this.validator = new FunctionValidator(limits);
        this.ranges = SettingRanges.of(limits);
        this.pool = pool;
        this.clock = clock;
        this.builderNode = builder.nodeId();
        this.resolver = new Resolver(store, () -> ThreadLocalRandom.current().nextDouble());
        this.versions = new Versions(store, quotas, pool, storage.maxVersions(), this::changed);
        this.targets = new Targets(store, pool, versions);
        this.aliases = new Aliases(store, quotas, targets, clock, this::changed);
        this.builds = new FunctionBuilds(database, store, code, quotas, builder, builderImageId,
                buildSettings.slots(), buildSettings.userSlots(), clock, this::buildFinished);
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
        ValidFunction valid = validator.validate(request);
        if (store.find(owner, valid.name()).isPresent()) {
            throw conflict(valid.name());
        }
        requireImage(valid);
        // Nothing is stored until the quota allows it.
        var function = quotas.locked(owner, () -> {
            quotas.checkCreate(owner, valid.uploadBytes(), valid.settings().minWarm());
            var now = clock.instant();
            var defined = define(owner, UUID.randomUUID().toString(), 1, valid, now, now);
            if (!store.insert(defined)) {
                throw conflict(valid.name());
            }
            quotas.recheckCreate(defined, valid.uploadBytes());
            return defined;
        });
        if (function.status() == FunctionRecord.Status.BUILDING) {
            builds.submit(function);
        } else {
            pool.prepare(function.spec());
            // Its first call usually follows at once: spare it a store query.
            resolver.cache(function);
        }
        return function;
    }

    /**
     * Redefines a function as a new version ({@code PUT}): the whole definition is replaced, and
     * settings left out take their defaults. Without a build the new version serves at once;
     * with one, the current version keeps serving until the build succeeds. Either way, calls
     * in flight finish on the version they started on, and the versions nothing routes to any
     * more are drained.
     */
    FunctionRecord update(String owner, String name, NewFunction request) {
        FunctionValidator.checkName(name);
        if (request.name() != null && !request.name().equals(name)) {
            throw ApiException.badRequest("the body names '" + request.name() + "' but the path names '" + name
                    + "'; a function cannot be renamed");
        }
        ValidFunction valid = validator.validate(request.named(name));
        store.find(owner, name).orElseThrow(() -> notFound(name));
        requireImage(valid);
        return newVersion(owner, name, current -> valid, valid.uploadBytes());
    }

    /** What the next version is made of, given the current one. */
    private interface Definition {
        ValidFunction of(FunctionRecord current);
    }

    /**
     * Makes version N+1 from {@code definition} under the owner's lock and puts it to work: it
     * serves at once, or builds beside the serving version (a version still waiting for its build
     * is replaced, and kept as {@code failed}).
     */
    private FunctionRecord newVersion(String owner, String name, Definition definition, long uploadBytes) {
        record Staged(FunctionRecord current, FunctionRecord next, boolean beside) {}
        Staged staged = quotas.locked(owner, () -> {
            FunctionRecord current = store.find(owner, name).orElseThrow(() -> notFound(name));
            ValidFunction valid = definition.of(current);
            boolean beside = valid.needsBuild() && current.status() == FunctionRecord.Status.READY;
            quotas.checkUpdate(owner, uploadBytes);
            long number = current.latestVersion() + 1;
            quotas.checkNewVersion(current, number, valid.settings().minWarm(), beside);
            var next = define(owner, current.id(), number, valid, current.createdAt(), clock.instant());
            if (beside ? !store.stagePending(next) : !store.replace(current.version(), next)) {
                throw beside ? notFound(name)
                        : ApiException.conflict("'" + name + "' changed while it was being updated; send the update again");
            }
            if (current.pending() != null) {
                store.versions().superseded(current.pending(), number, clock.instant());
            }
            return new Staged(current, next, beside);
        });
        FunctionRecord next = staged.next();
        changed(owner, name);
        if (staged.beside()) {
            builds.submit(next);
            return staged.current().withPending(next);
        }
        // Nothing serves yet (the first build is still running or failed), or nothing to build: the new version takes over now.
        if (next.status() == FunctionRecord.Status.BUILDING) {
            builds.submit(next);
        } else {
            targets.serve(next.id());
        }
        return next.withAliases(staged.current().aliases());
    }

    /** A new function version for a validated definition: its code stored, its build queued if it needs one. */
    private FunctionRecord define(String owner, String id, long version, ValidFunction valid, Instant createdAt, Instant now) {
        if (valid.code() instanceof ValidFunction.Upload upload) {
            var source = upload.stored(code.put(upload.zip()));
            var build = upload.needsBuild() ? BuildInfo.queued(now, builderNode) : null;
            return FunctionRecord.defined(id, owner, valid.name(), version, source, valid.settings(), build, createdAt, now,
                    valid.description());
        }
        StoredWorkload workload = valid.code() instanceof ValidFunction.Same same ? same.workload()
                : new StoredWorkload.Image(((ValidFunction.Image) valid.code()).workload());
        return FunctionRecord.defined(id, owner, valid.name(), version, workload, valid.settings(), null, createdAt, now,
                valid.description());
    }

    /** The serving version's definition with another timeout: what a {@code PATCH} of {@code timeoutMs} runs. */
    private static ValidFunction retimed(FunctionRecord current, int timeoutMs, FunctionPatch patch) {
        var s = current.settings();
        var settings = new dev.hearth.poolmanager.FunctionSettings(s.memoryMb(), timeoutMs,
                patch.concurrency() == null ? s.concurrency() : patch.concurrency(), s.env(), s.egress(),
                patch.minWarm() == null ? s.minWarm() : patch.minWarm());
        return new ValidFunction(current.name(), new ValidFunction.Same(current.workload()), settings, current.description());
    }

    /** Asked before the owner's lock is taken: a pull may take minutes. */
    private void requireImage(ValidFunction valid) {
        if (!(valid.code() instanceof ValidFunction.Image wanted)) {
            return;
        }
        String image = wanted.workload().reference();
        try {
            pool.requireImage(image);
        } catch (UnknownImageException e) {
            // The pool manager's words only: never a daemon's or a registry's text.
            throw new ApiException(400, "unknown_image", e.getMessage() + "; build or load the image on the node first");
        }
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
     * {@code PATCH}: {@code concurrency} and {@code minWarm} belong to the function and change in
     * place; a new {@code timeoutMs} changes what runs, so it makes a new version.
     */
    FunctionRecord patch(String owner, String name, FunctionPatch patch) {
        FunctionValidator.checkName(name);
        patch.validate(ranges);
        if (patch.timeoutMs() != null) {
            FunctionRecord current = store.find(owner, name).orElseThrow(() -> notFound(name));
            if (current.status() != FunctionRecord.Status.READY
                    || (current.pending() != null && current.pending().status() == FunctionRecord.Status.BUILDING)) {
                throw ApiException.conflict("'" + name + "' has a version still building; wait for it, or PUT the whole definition");
            }
            if (current.workload() instanceof StoredWorkload.Image image && patch.minWarm() != null) {
                FunctionValidator.checkMinWarm(image.workload().contract(), patch.minWarm());
            }
            return newVersion(owner, name, c -> retimed(c, patch.timeoutMs(), patch), 0);
        }
        List<org.bson.conversions.Bson> changes = new java.util.ArrayList<>();
        if (patch.concurrency() != null) {
            changes.add(com.mongodb.client.model.Updates.set("concurrency", patch.concurrency()));
        }
        if (patch.minWarm() != null) {
            changes.add(com.mongodb.client.model.Updates.set("minWarm", patch.minWarm()));
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

    List<FunctionRecord> list(String owner) {
        return store.list(owner);
    }

    void delete(String owner, String name) {
        FunctionValidator.checkName(name);
        FunctionRecord deleted = store.delete(owner, name).orElseThrow(() -> notFound(name));
        changed(owner, name);
        builds.cancel(deleted);
        pool.retire(deleted.id());
    }

    @Override
    public void close() {
        sweeping.close();
        builds.close();
    }

    static ApiException notFound(String name) {
        return ApiException.notFound("no function named '" + name + "'");
    }

    private static ApiException conflict(String name) {
        return ApiException.conflict("a function named '" + name + "' already exists");
    }
}
