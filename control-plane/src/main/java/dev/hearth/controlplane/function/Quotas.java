package dev.hearth.controlplane.function;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.hearth.controlplane.http.ApiException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Per-user bounds on functions, on stored code (uploads and build outputs of every function,
 * pending versions included) and on the containers kept warm ({@code minWarm} over all the
 * user's functions, so no user provisions the node away), checked before anything is stored. Checks and the writes they
 * guard run under a lock per owner, so one control plane never lets two requests of a user
 * pass on the same room. Another control plane sharing the store does not share that lock: a
 * create is counted again after its insert and undone when it went past, so simultaneous
 * creates may both be refused, never both kept.
 */
final class Quotas {

    private final FunctionStore store;
    private final int maxFunctions;
    private final long maxCodeBytes;
    private final int maxMinWarm;
    /** Held strongly only while in use, so owners no request is running for cost nothing. */
    private final LoadingCache<String, Object> locks = Caffeine.newBuilder().weakValues().build(owner -> new Object());

    Quotas(FunctionStore store, StorageSettings storage, int maxMinWarm) {
        this.store = store;
        this.maxMinWarm = maxMinWarm;
        this.maxFunctions = storage.userMaxFunctions();
        this.maxCodeBytes = storage.userMaxCodeBytes();
    }

    <T> T locked(String owner, Supplier<T> action) {
        synchronized (locks.get(owner)) {
            return action.get();
        }
    }

    /** Before a create: room for one more function, for its upload and for its {@code minWarm}. */
    void checkCreate(String owner, long uploadBytes, int minWarm) {
        if (store.count(owner) >= maxFunctions) {
            throw countExceeded();
        }
        // A function that asks no minWarm adds none: the cap cannot refuse it (see checkMinWarm).
        if (minWarm > 0) {
            int warm = store.minWarm(owner);
            checkMinWarm(warm, warm + minWarm, minWarm);
        }
        long before = store.storedBytes(owner);
        checkBytes(before, before + uploadBytes, uploadBytes);
    }

    /** After a create's insert: undone when another control plane's create took the room meanwhile. */
    void recheckCreate(FunctionRecord created, long uploadBytes) {
        long count = store.count(created.owner());
        long bytes = store.storedBytes(created.owner());
        if (count > maxFunctions || (bytes > maxCodeBytes && uploadBytes > 0)) {
            store.deleteById(created.id());
            throw count > maxFunctions ? countExceeded() : bytesExceeded(bytes - uploadBytes, uploadBytes);
        }
        int asked = created.settings().minWarm();
        if (asked > 0) {
            int warm = store.minWarm(created.owner());
            if (warm > maxMinWarm) {
                store.deleteById(created.id());
                throw minWarmExceeded(asked, warm - asked);
            }
        }
    }

    /**
     * Before version {@code number} with {@code minWarm}: it replaces the serving version among the
     * targets (at once, or once its build ends); beside the serving version, both ask until then.
     */
    void checkNewVersion(FunctionRecord current, long number, int minWarm, boolean beside) {
        int asked = minWarm * current.targetsOnceServing(number).size();
        if (beside) {
            asked = Math.max(asked, Math.max(current.settings().minWarm(), minWarm) * current.targets().size());
        }
        checkMinWarm(current, asked, minWarm);
    }

    /**
     * Before a change of a function's {@code minWarm} ({@code PUT} or {@code PATCH}): the user's
     * total, with the function asking {@code askedAfter} instead of what it asks now, stays within
     * the cap, or does not grow.
     */
    void checkMinWarm(FunctionRecord current, int askedAfter, int minWarm) {
        int before = store.minWarm(current.owner());
        checkMinWarm(before, before - current.minWarmAsked() + askedAfter, minWarm);
    }

    private void checkMinWarm(int before, int after, int asked) {
        if (after > maxMinWarm && after > before) {
            throw minWarmExceeded(asked, before);
        }
    }

    private ApiException minWarmExceeded(int asked, int before) {
        return ApiException.quotaExceeded("minWarm " + asked + " would take the containers you keep warm past the quota of "
                + maxMinWarm + " per user (minWarm over all your functions; " + before + " now); lower another function's minWarm first");
    }

    /** Before a new version: its upload is kept beside every version already kept. */
    void checkUpdate(String owner, long uploadBytes) {
        long before = store.storedBytes(owner);
        checkBytes(before, before + uploadBytes, uploadBytes);
    }

    /** Why a successful build may not be kept: its output would take the owner past the quota; empty when it fits. */
    Optional<String> refusesBuild(FunctionRecord built) {
        long before = store.storedBytes(built.owner());
        long after = before + built.source().codeSize();
        if (after <= maxCodeBytes) {
            return Optional.empty();
        }
        return Optional.of("the build's output (" + mib(built.source().codeSize()) + ") would take the code you store to "
                + mib(after) + ", past the quota of " + mib(maxCodeBytes) + " per user");
    }

    /** A change that adds nothing is allowed even over the quota (it may have been lowered), so users can always shrink. */
    private void checkBytes(long before, long after, long uploadBytes) {
        if (after > maxCodeBytes && after > before) {
            throw bytesExceeded(before, uploadBytes);
        }
    }

    private ApiException countExceeded() {
        return ApiException.quotaExceeded("you have reached the quota of " + maxFunctions + " functions per user; delete one first");
    }

    private ApiException bytesExceeded(long before, long uploadBytes) {
        return ApiException.quotaExceeded("this code (" + mib(uploadBytes) + ") would take the code you store past the quota of "
                + mib(maxCodeBytes) + " per user (uploads and build outputs of every version of every function, which DELETE .../versions/{n} frees; "
                + mib(before) + " stored now)");
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
