package dev.hearth.controlplane.function;

import dev.hearth.controlplane.http.ApiException;
import dev.hearth.poolmanager.PoolManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * The versions a function keeps: listing them, reading one, deleting one the function no longer
 * needs, and pruning the oldest past {@code HEARTH_MAX_VERSIONS}. A version is needed, and never
 * deleted or pruned, while it serves the unqualified name, is the newest (perhaps still
 * building), or an alias routes to it. A deleted version's containers are drained at once; its
 * code archive goes with the store's sweep once no version refers to it, and its unpacked code
 * from each node after the grace period.
 */
final class Versions {

    private final FunctionStore store;
    private final Quotas quotas;
    private final PoolManager pool;
    private final int maxVersions;
    private final BiConsumer<String, String> changed;

    /** @param changed told (owner, name) of a function whose versions changed */
    Versions(FunctionStore store, Quotas quotas, PoolManager pool, int maxVersions, BiConsumer<String, String> changed) {
        this.store = store;
        this.quotas = quotas;
        this.pool = pool;
        this.maxVersions = maxVersions;
        this.changed = changed;
    }

    /** The owner's function's versions, newest first. */
    List<FunctionRecord> list(String owner, String name) {
        return store.versions().list(store.require(owner, name).id());
    }

    FunctionRecord get(String owner, String name, long number) {
        FunctionRecord function = store.require(owner, name);
        return store.versions().find(function.id(), number).orElseThrow(() -> noSuchVersion(function, number));
    }

    /**
     * Deletes a version nothing needs: 404 when there is no such version; 409, saying why, while
     * the function needs it. Its containers drain at once, its code goes with the sweeps.
     */
    void delete(String owner, String name, long number) {
        quotas.locked(owner, () -> {
            delete(store.require(owner, name), number);
            return null;
        });
        changed.accept(owner, name);
    }

    private void delete(FunctionRecord function, long number) {
        store.versions().find(function.id(), number).orElseThrow(() -> noSuchVersion(function, number));
        String need = neededBecause(function, number);
        if (need != null) {
            throw ApiException.conflict("version " + number + " of '" + function.name() + "' cannot be deleted: " + need);
        }
        if (!store.versions().delete(function.id(), number)) {
            throw noSuchVersion(function, number);
        }
        pool.retireVersions(function.id(), Set.of(number));
    }

    /** Why the function needs the version, or null when it does not. */
    private static String neededBecause(FunctionRecord function, long number) {
        if (number == function.version()) {
            return "it is the version the function's name serves";
        }
        if (number == function.latestVersion()) {
            return "it is the newest version";
        }
        for (Alias alias : Aliases.list(function)) {
            if (alias.routesTo(number)) {
                return "alias '" + alias.name() + "' points at it";
            }
        }
        return null;
    }

    /** Deletes the oldest versions the function does not need, past the count it may keep; their numbers. */
    Set<Long> prune(FunctionRecord function) {
        List<FunctionRecord> kept = store.versions().list(function.id());
        Set<Long> pruned = new TreeSet<>();
        List<FunctionRecord> oldestFirst = new ArrayList<>(kept);
        java.util.Collections.reverse(oldestFirst);
        int count = kept.size();
        for (FunctionRecord v : oldestFirst) {
            if (count <= maxVersions) {
                break;
            }
            if (neededBecause(function, v.version()) == null && store.versions().delete(function.id(), v.version())) {
                pruned.add(v.version());
                count--;
            }
        }
        if (!pruned.isEmpty()) {
            pool.retireVersions(function.id(), pruned);
        }
        return pruned;
    }

    /** The versions kept that nothing routes to: all but the serving version, the newest and the aliases' targets. */
    Set<Long> unrouted(FunctionRecord function) {
        Set<Long> unrouted = new TreeSet<>();
        for (FunctionRecord v : store.versions().list(function.id())) {
            if (!function.targets().contains(v.version()) && v.version() != function.latestVersion()) {
                unrouted.add(v.version());
            }
        }
        return unrouted;
    }

    static ApiException noSuchVersion(FunctionRecord function, long number) {
        return ApiException.notFound("function '" + function.name() + "' has no version " + number);
    }

    /** What the owner sees of one version. */
    static Map<String, Object> view(FunctionRecord v) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("version", v.version());
        view.put("status", v.status().id());
        view.put("createdAt", v.versionCreatedAt().toString());
        if (v.description() != null) {
            view.put("description", v.description());
        }
        if (v.workload() instanceof StoredWorkload.Source source) {
            view.put("runtime", source.language().id());
            view.put("lambdaRuntime", source.language().lambdaRuntime());
            view.put("handler", source.handler());
            view.put("sourceSha256", source.sourceSha256());
            if (v.status() == FunctionRecord.Status.READY) {
                view.put("codeSha256", source.codeSha256());
                view.put("codeSize", source.codeSize());
            }
        } else {
            var image = ((StoredWorkload.Image) v.workload()).workload();
            view.put("image", image.reference());
            view.put("contract", image.contract().id());
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("memoryMb", v.settings().memoryMb());
        settings.put("timeoutMs", v.settings().timeoutMs());
        settings.put("env", v.settings().env());
        settings.put("network", v.settings().egress() ? "egress" : "none");
        view.put("settings", settings);
        if (v.build() != null) {
            view.put("build", Map.of("status", v.build().view().get("status")));
        }
        return view;
    }
}
