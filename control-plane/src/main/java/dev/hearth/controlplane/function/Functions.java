package dev.hearth.controlplane.function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.mongodb.client.MongoDatabase;
import dev.hearth.controlplane.http.ApiException;
import dev.hearth.poolmanager.PoolManager;
import dev.hearth.poolmanager.UnknownImageException;
import dev.hearth.poolmanager.build.Builder;
import dev.hearth.poolmanager.code.PeriodicSweep;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The functions of all users: creating, finding (through a route cache, so an invocation
 * costs no store query), redefining, patching and deleting, which also retires the function's containers.
 * Every lookup is by (owner, name): another user's function is simply not found. Creates and
 * new versions are held to the owner's {@link Quotas}; archives no function refers to any more
 * are swept from the store ({@link ArchiveSweep}).
 */
public final class Functions implements AutoCloseable {

    /** Bounds how long another control plane may serve a function deleted elsewhere. */
    private static final Duration ROUTE_TTL = Duration.ofSeconds(5);

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
    private final Cache<RouteKey, FunctionRecord> routes = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(ROUTE_TTL)
            .build();

    private record RouteKey(String owner, String name) {}

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
        routes.invalidate(new RouteKey(owner, name));
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
        this.builds = new FunctionBuilds(database, store, code, quotas, builder, builderImageId,
                buildSettings.slots(), buildSettings.userSlots(), clock, this::buildFinished);
        builds.resumeInterrupted();
        store.keptWarm().forEach(function -> pool.prepare(function.spec()));
        var sweep = new ArchiveSweep(store, code, builds::outputGone, storage.codeGrace(), clock);
        this.sweeping = PeriodicSweep.start("code-store-sweep", sweep.every(), sweep.every(), () -> {
            sweep.run();
            return sweep.every();
        });
    }

    private void buildFinished(FunctionRecord function) {
        changed(function.owner(), function.name());
        if (function.status() == FunctionRecord.Status.READY) {
            serve(function);
        }
    }

    /** A version has become the one that serves: get it ready and drain the older ones. */
    private void serve(FunctionRecord function) {
        pool.prepare(function.spec());
        pool.retireVersions(function.id(), function.version() > 1 ? java.util.Set.of(function.version() - 1) : java.util.Set.of());
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
            var defined = define(owner, UUID.randomUUID().toString(), 1, valid, clock.instant());
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
            routes.put(new RouteKey(owner, function.name()), function);
        }
        return function;
    }

    /**
     * Redefines a function as a new version ({@code PUT}): the whole definition is replaced, and
     * settings left out take their defaults. Without a build the new version serves at once;
     * with one, the current version keeps serving until the build succeeds. Either way, calls
     * in flight finish on the version they started on, and older containers are drained.
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
        record Staged(FunctionRecord current, FunctionRecord next, boolean beside) {}
        Staged staged = quotas.locked(owner, () -> {
            FunctionRecord current = store.find(owner, name).orElseThrow(() -> notFound(name));
            boolean beside = valid.needsBuild() && current.status() == FunctionRecord.Status.READY;
            quotas.checkUpdate(current, valid.uploadBytes(), beside);
            // Beside the serving version, both ask until the build ends; otherwise the new one replaces it.
            int minWarm = valid.settings().minWarm();
            quotas.checkMinWarm(current, beside ? Math.max(current.settings().minWarm(), minWarm) : minWarm, minWarm);
            var next = define(owner, current.id(), current.latestVersion() + 1, valid, current.createdAt());
            if (beside ? !store.stagePending(next) : !store.replace(current.version(), next)) {
                throw beside ? notFound(name)
                        : ApiException.conflict("'" + name + "' changed while it was being updated; send the update again");
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
            serve(next);
        }
        return next;
    }

    /** A new function record for a validated definition: its code stored, its build started if it needs one. */
    private FunctionRecord define(String owner, String id, long version, ValidFunction valid, java.time.Instant createdAt) {
        if (valid.code() instanceof ValidFunction.Upload upload) {
            var source = upload.stored(code.put(upload.zip()));
            var build = upload.needsBuild() ? BuildInfo.queued(clock.instant(), builderNode) : null;
            return FunctionRecord.defined(id, owner, valid.name(), version, source, valid.settings(), build, createdAt);
        }
        var image = new StoredWorkload.Image(((ValidFunction.Image) valid.code()).workload());
        return FunctionRecord.defined(id, owner, valid.name(), version, image, valid.settings(), null, createdAt);
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

    /** The caller's function of that name, or 404. */
    public FunctionRecord get(String owner, String name) {
        FunctionValidator.checkName(name);
        var key = new RouteKey(owner, name);
        FunctionRecord cached = routes.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        FunctionRecord found = store.find(owner, name).orElseThrow(() -> notFound(name));
        routes.put(key, found);
        return found;
    }

    FunctionRecord patch(String owner, String name, FunctionPatch patch) {
        FunctionValidator.checkName(name);
        patch.validate(ranges);
        List<org.bson.conversions.Bson> changes = new java.util.ArrayList<>();
        if (patch.concurrency() != null) {
            changes.add(com.mongodb.client.model.Updates.set("concurrency", patch.concurrency()));
        }
        if (patch.timeoutMs() != null) {
            changes.add(com.mongodb.client.model.Updates.set("timeoutMs", patch.timeoutMs()));
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
                quotas.checkMinWarm(current, Math.max(patch.minWarm(), pending), patch.minWarm());
            }
            return store.update(owner, name, com.mongodb.client.model.Updates.combine(changes));
        });
        if (!updated) {
            throw notFound(name);
        }
        changed(owner, name);
        FunctionRecord patched = get(owner, name);
        if (patch.minWarm() != null && patched.status() == FunctionRecord.Status.READY) {
            pool.prepare(patched.spec());
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

    private static ApiException notFound(String name) {
        return ApiException.notFound("no function named '" + name + "'");
    }

    private static ApiException conflict(String name) {
        return ApiException.conflict("a function named '" + name + "' already exists");
    }
}
