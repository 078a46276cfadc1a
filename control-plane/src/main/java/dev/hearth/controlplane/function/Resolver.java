package dev.hearth.controlplane.function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.hearth.controlplane.http.ApiException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;

/**
 * Finds what a call names, without a store query on the warm path: the caller's function by
 * name, and the version a qualifier resolves to. No qualifier (or {@code $LATEST}) is the serving
 * version; a number is that version; anything else is an alias, whose version is drawn by its
 * weights on every call (not sticky). Entries are cached per function for {@link #TTL}, with the
 * versions looked up through them, and dropped at once when the function changes here or on
 * another control plane ({@link #forget}).
 */
public final class Resolver {

    /** Bounds how long another control plane may serve a function deleted elsewhere. */
    static final Duration TTL = Duration.ofSeconds(5);
    public static final String LATEST = "$LATEST";
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,18}");

    private final FunctionStore store;
    private final DoubleSupplier draw;
    private final Cache<Key, Entry> entries = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(TTL)
            .build();

    private record Key(String owner, String name) {}

    /** One function as this control plane last read it, and the other versions calls named since. */
    private record Entry(FunctionRecord function, Map<Long, FunctionRecord> versions) {}

    /**
     * A call's target: the version that runs, the alias that chose it (null without one), and the
     * qualifier as the call named it (null for an unqualified call).
     */
    public record Target(FunctionRecord version, String alias, String qualifier) {

        /** An unqualified call's target. */
        public Target(FunctionRecord version) {
            this(version, null, null);
        }

        /**
         * The version as Lambda reports it ({@code X-Amz-Executed-Version}, the context's
         * {@code function_version}): {@code $LATEST} for an unqualified or {@code $LATEST} call,
         * else the number of the version that ran.
         */
        public String executedVersion() {
            return qualifier == null || qualifier.equals(LATEST) ? LATEST : Long.toString(version.version());
        }
    }

    /** @param draw uniform numbers in [0, 1) that weighted aliases draw on */
    Resolver(FunctionStore store, DoubleSupplier draw) {
        this.store = store;
        this.draw = draw;
    }

    /** The caller's function of that name (its serving version, with its aliases), or 404. */
    FunctionRecord get(String owner, String name) {
        return entry(owner, name).function();
    }

    private Entry entry(String owner, String name) {
        FunctionValidator.checkName(name);
        var key = new Key(owner, name);
        Entry cached = entries.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        FunctionRecord found = store.find(owner, name).orElseThrow(() -> Functions.notFound(name));
        Entry entry = new Entry(found, new ConcurrentHashMap<>());
        entries.put(key, entry);
        return entry;
    }

    /** Caches a function just written, so the first call that usually follows costs no store query. */
    void cache(FunctionRecord function) {
        entries.put(new Key(function.owner(), function.name()), new Entry(function, new ConcurrentHashMap<>()));
    }

    void forget(String owner, String name) {
        entries.invalidate(new Key(owner, name));
    }

    /**
     * The version a call on {@code qualifier} runs: 404 for a qualifier the function lacks. The
     * version is returned whatever its status; callers refuse one that is not ready.
     */
    public Target resolve(String owner, String name, String qualifier) {
        Entry entry = entry(owner, name);
        FunctionRecord function = entry.function();
        if (qualifier == null || qualifier.isEmpty()) {
            return new Target(function);
        }
        if (qualifier.equals(LATEST)) {
            return new Target(function, null, LATEST);
        }
        if (NUMBER.matcher(qualifier).matches()) {
            return new Target(version(entry, Long.parseLong(qualifier), qualifier), null, qualifier);
        }
        Aliases.checkName(qualifier, "a qualifier", "a version number, " + LATEST + " or an alias name");
        Alias alias = function.aliases().get(qualifier);
        if (alias == null) {
            throw unknownQualifier(name, qualifier);
        }
        return new Target(version(entry, alias.pick(draw.getAsDouble()), qualifier), alias.name(), qualifier);
    }

    private FunctionRecord version(Entry entry, long number, String qualifier) {
        FunctionRecord function = entry.function();
        if (number == function.version()) {
            return function;
        }
        FunctionRecord cached = entry.versions().get(number);
        if (cached != null) {
            return cached;
        }
        FunctionRecord found = store.versions().find(function.id(), number)
                .orElseThrow(() -> unknownQualifier(function.name(), qualifier))
                .under(function);
        // A version still building changes when its build ends: only finished ones are kept.
        if (found.status() != FunctionRecord.Status.BUILDING) {
            entry.versions().put(number, found);
        }
        return found;
    }

    static ApiException unknownQualifier(String name, String qualifier) {
        return ApiException.notFound("function '" + name + "' has no version or alias '" + qualifier + "'");
    }
}
