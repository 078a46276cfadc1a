package dev.hearth.poolmanager.pool;

import dev.hearth.poolmanager.FunctionSpec.VersionKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The first calls one language's pool expects: versions deployed whose first call (a
 * specialization) has not come yet. Each is expected for {@code lifetime} from its deploy, and
 * stops counting at its first call, whether that found a pre-started container or not, or when
 * it is retired (its function deleted, or the version let go). At most
 * {@code bound} are kept (the oldest goes first): the pool never grows past its ceiling anyway.
 * Time is a parameter; not thread-safe: its owner synchronizes.
 */
final class ExpectedCalls {

    private final Duration lifetime;
    private final int bound;
    /** Each expected version and when it stops counting, oldest deploy first. */
    private final LinkedHashMap<VersionKey, Instant> until = new LinkedHashMap<>();

    ExpectedCalls(Duration lifetime, int bound) {
        this.lifetime = lifetime;
        this.bound = Math.max(0, bound);
    }

    /** {@code version} was deployed at {@code now}; deployed again, it counts once, from now. */
    void expect(VersionKey version, Instant now) {
        if (bound == 0) {
            return;
        }
        until.remove(version);
        until.put(version, now.plus(lifetime));
        if (until.size() > bound) {
            Iterator<Map.Entry<VersionKey, Instant>> oldest = until.entrySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** The first call of {@code version} came: it is no longer expected. */
    void arrived(VersionKey version) {
        until.remove(version);
    }

    /** The versions {@code retired} picks were retired: their first calls will not come. */
    void withdraw(Predicate<VersionKey> retired) {
        until.keySet().removeIf(retired);
    }

    /** First calls still expected at {@code now}. */
    int count(Instant now) {
        // Oldest deploy first, all with the same lifetime: the expired ones lead.
        Iterator<Instant> times = until.values().iterator();
        while (times.hasNext() && !times.next().isAfter(now)) {
            times.remove();
        }
        return until.size();
    }
}
