package dev.hearth.controlplane.function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.mongodb.client.MongoDatabase;
import dev.hearth.controlplane.HearthConfig;
import dev.hearth.controlplane.http.ApiException;
import dev.hearth.poolmanager.PoolManager;
import dev.hearth.poolmanager.build.Builder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The functions of all users: creating, finding (through a route cache, so an invocation
 * costs no store query) and deleting, which also retires the function's containers.
 * Every lookup is by (owner, name): another user's function is simply not found.
 */
public final class Functions implements AutoCloseable {

    /** Bounds how long another control plane may serve a function deleted elsewhere. */
    private static final Duration ROUTE_TTL = Duration.ofSeconds(5);

    private final FunctionStore store;
    private final CodeStore code;
    private final FunctionValidator validator;
    private final PoolManager pool;
    private final FunctionBuilds builds;
    private final int maxTimeoutMs;
    private final Clock clock;
    private final Cache<RouteKey, FunctionRecord> routes = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(ROUTE_TTL)
            .build();

    private record RouteKey(String owner, String name) {}

    /**
     * @param builderImageId the builder image's content id, part of every build's cache key
     */
    public Functions(MongoDatabase database, CodeStore code, HearthConfig.Limits limits, PoolManager pool,
                     Builder builder, String builderImageId, Clock clock) {
        this.store = new FunctionStore(database);
        this.code = code;
        this.validator = new FunctionValidator(limits);
        this.maxTimeoutMs = limits.maxTimeoutMs();
        this.pool = pool;
        this.clock = clock;
        this.builds = new FunctionBuilds(database, store, code, builder, builderImageId, clock, this::buildFinished);
        builds.resumeInterrupted();
    }

    private void buildFinished(FunctionRecord function) {
        routes.invalidate(new RouteKey(function.owner(), function.name()));
        if (function.status() == FunctionRecord.Status.READY) {
            pool.prepare(function.spec());
        }
    }

    FunctionRecord create(String owner, NewFunction request) {
        FunctionValidator.ValidFunction valid = validator.validate(request);
        if (store.find(owner, valid.name()).isPresent()) {
            throw conflict(valid.name());
        }
        String digest = code.put(valid.zip());
        boolean build = valid.needsBuild();
        var function = new FunctionRecord(
                UUID.randomUUID().toString(), owner, valid.name(), valid.language(), valid.handler(), 1,
                digest, build ? null : digest, build ? 0 : valid.zip().length,
                valid.memoryMb(), valid.timeoutMs(), valid.concurrency(), valid.env(), valid.egress(),
                build ? FunctionRecord.Status.BUILDING : FunctionRecord.Status.READY,
                build ? BuildInfo.started(clock.instant()) : null,
                clock.instant());
        if (!store.insert(function)) {
            throw conflict(valid.name());
        }
        if (build) {
            builds.submit(function);
        } else {
            pool.prepare(function.spec());
        }
        return function;
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
        patch.validate(maxTimeoutMs);
        List<org.bson.conversions.Bson> changes = new java.util.ArrayList<>();
        if (patch.concurrency() != null) {
            changes.add(com.mongodb.client.model.Updates.set("concurrency", patch.concurrency()));
        }
        if (patch.timeoutMs() != null) {
            changes.add(com.mongodb.client.model.Updates.set("timeoutMs", patch.timeoutMs()));
        }
        if (!store.update(owner, name, com.mongodb.client.model.Updates.combine(changes))) {
            throw notFound(name);
        }
        routes.invalidate(new RouteKey(owner, name));
        return get(owner, name);
    }

    /** The build of the caller's function, read from the store (never the route cache). */
    Optional<BuildInfo> build(String owner, String name) {
        FunctionValidator.checkName(name);
        return Optional.ofNullable(store.find(owner, name).orElseThrow(() -> notFound(name)).build());
    }

    List<FunctionRecord> list(String owner) {
        return store.list(owner);
    }

    void delete(String owner, String name) {
        FunctionValidator.checkName(name);
        FunctionRecord deleted = store.delete(owner, name).orElseThrow(() -> notFound(name));
        routes.invalidate(new RouteKey(owner, name));
        pool.retire(deleted.id());
    }

    @Override
    public void close() {
        builds.close();
    }

    private static ApiException notFound(String name) {
        return ApiException.notFound("no function named '" + name + "'");
    }

    private static ApiException conflict(String name) {
        return ApiException.conflict("a function named '" + name + "' already exists");
    }
}
