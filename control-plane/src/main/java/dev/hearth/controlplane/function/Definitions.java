package dev.hearth.controlplane.function;

import dev.hearth.controlplane.http.ApiException;
import dev.hearth.poolmanager.PoolManager;
import dev.hearth.poolmanager.UnknownImageException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * Makes function versions: a function's first ({@code POST}) and every later one ({@code PUT},
 * a {@code PATCH} of what runs). Each is checked against the owner's {@link Quotas} under the
 * owner's lock before anything is stored, its code stored, and it is put to work: built first
 * when it must be (the serving version keeps serving meanwhile), else served at once.
 */
final class Definitions {

    private final FunctionStore store;
    private final CodeStore code;
    private final FunctionValidator validator;
    private final PoolManager pool;
    private final FunctionBuilds builds;
    private final Quotas quotas;
    private final Targets targets;
    private final Resolver resolver;
    private final Clock clock;
    private final String builderNode;
    private final BiConsumer<String, String> changed;

    Definitions(FunctionStore store, CodeStore code, FunctionValidator validator, PoolManager pool, FunctionBuilds builds,
                Quotas quotas, Targets targets, Resolver resolver, Clock clock, String builderNode,
                BiConsumer<String, String> changed) {
        this.store = store;
        this.code = code;
        this.validator = validator;
        this.pool = pool;
        this.builds = builds;
        this.quotas = quotas;
        this.targets = targets;
        this.resolver = resolver;
        // The store keeps milliseconds: a time with more would read back as another, and a
        // function's JSON would change between the cached copy and the stored one.
        this.clock = Clock.tick(clock, Duration.ofMillis(1));
        this.builderNode = builderNode;
        this.changed = changed;
    }

    FunctionRecord create(String owner, NewFunction request) {
        ValidFunction valid = validator.validate(request);
        if (store.find(owner, valid.name()).isPresent()) {
            throw Functions.conflict(valid.name());
        }
        requireImage(valid);
        // Nothing is stored until the quota allows it.
        var function = quotas.locked(owner, () -> {
            quotas.checkCreate(owner, valid.uploadBytes(), valid.settings().minWarm());
            var now = clock.instant();
            var defined = define(owner, UUID.randomUUID().toString(), 1, valid, now, now)
                    .withLabels(valid.labels() == null ? java.util.Map.of() : valid.labels());
            if (!store.insert(defined)) {
                throw Functions.conflict(valid.name());
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
        store.find(owner, name).orElseThrow(() -> Functions.notFound(name));
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
            FunctionRecord current = store.find(owner, name).orElseThrow(() -> Functions.notFound(name));
            ValidFunction valid = definition.of(current);
            boolean beside = valid.needsBuild() && current.status() == FunctionRecord.Status.READY;
            quotas.checkUpdate(owner, uploadBytes);
            long number = current.latestVersion() + 1;
            quotas.checkNewVersion(current, number, valid.settings().minWarm(), beside);
            var next = define(owner, current.id(), number, valid, current.createdAt(), clock.instant());
            if (beside ? !store.stagePending(next) : !store.replace(current.version(), next)) {
                throw beside ? Functions.notFound(name)
                        : ApiException.conflict("'" + name + "' changed while it was being updated; send the update again");
            }
            // Labels belong to the function: a definition that gives them replaces them, one that does not keeps them.
            Map<String, String> labels = valid.labels() == null ? current.labels() : valid.labels();
            if (valid.labels() != null) {
                store.setLabels(current.id(), labels);
            }
            // A version still waiting for its build that the new one replaces is never built.
            if (current.pending() != null) {
                store.versions().superseded(current.pending(), number, clock.instant());
            }
            if (!beside && current.status() == FunctionRecord.Status.BUILDING) {
                store.versions().superseded(current, number, clock.instant());
            }
            return new Staged(current.withLabels(labels), next, beside);
        });
        FunctionRecord next = staged.next();
        changed.accept(owner, name);
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
        return next.withAliases(staged.current().aliases()).withLabels(staged.current().labels());
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

    /** A {@code PATCH} of {@code timeoutMs}: the serving version's definition with the new timeout, as version N+1. */
    FunctionRecord retimed(String owner, String name, FunctionPatch patch) {
        return newVersion(owner, name, current -> retimed(current, patch.timeoutMs(), patch), 0);
    }

    private static ValidFunction retimed(FunctionRecord current, int timeoutMs, FunctionPatch patch) {
        var s = current.settings();
        var settings = new dev.hearth.poolmanager.FunctionSettings(s.memoryMb(), timeoutMs,
                patch.concurrency() == null ? s.concurrency() : patch.concurrency(), s.env(), s.egress(),
                patch.minWarm() == null ? s.minWarm() : patch.minWarm());
        return new ValidFunction(current.name(), new ValidFunction.Same(current.workload()), settings, current.description(),
                patch.labels());
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
}
