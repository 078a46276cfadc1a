package dev.hearth.controlplane.function;

import dev.hearth.controlplane.http.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * A function's aliases: each names one {@code ready} version, and optionally sends a share of
 * calls to one other (Lambda's routing configuration). Repointing an alias is a rollback or a
 * shift; the versions it names keep their warm containers, and the function's {@code minWarm}
 * applies to each of them. Names follow Lambda's rule: 1 to 128 letters, digits, '-' and '_',
 * not all digits.
 */
final class Aliases {

    static final int MAX_PER_FUNCTION = 100;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    static final int MAX_DESCRIPTION = 256;

    /** The body of {@code PUT .../aliases/{alias}}. */
    public record Request(Long version, Map<String, Double> weights, String description) {}

    private final FunctionStore store;
    private final Quotas quotas;
    private final Targets targets;
    private final Clock clock;
    private final BiConsumer<String, String> changed;

    /** @param changed told (owner, name) of a function whose aliases changed */
    Aliases(FunctionStore store, Quotas quotas, Targets targets, Clock clock, BiConsumer<String, String> changed) {
        this.store = store;
        this.quotas = quotas;
        this.targets = targets;
        // The store keeps milliseconds: a time with more would read back as another, and a
        // function's JSON would change between the cached copy and the stored one.
        this.clock = Clock.tick(clock, Duration.ofMillis(1));
        this.changed = changed;
    }

    List<Alias> list(String owner, String name) {
        return list(store.require(owner, name));
    }

    Alias get(String owner, String name, String alias) {
        return find(store.require(owner, name), alias);
    }

    /** Creates or repoints an alias; the versions it now routes to get ready, those it left keep their containers until idle. */
    Alias put(String owner, String name, String alias, Request request) {
        Change change = put(owner, store.require(owner, name), alias, request);
        changed.accept(owner, name);
        targets.retarget(change.before(), change.after());
        return change.after().aliases().get(alias);
    }

    /** The function just before and just after an alias change, both as read under the owner's lock. */
    private record Change(FunctionRecord before, FunctionRecord after) {}

    /** Removes the alias (404 when there is none); its versions keep their containers until idle. */
    void delete(String owner, String name, String alias) {
        Change change = quotas.locked(owner, () -> {
            FunctionRecord before = store.require(owner, name);
            find(before, alias);
            if (!store.removeAlias(before.id(), alias)) {
                throw noSuchAlias(before, alias);
            }
            Map<String, Alias> left = new HashMap<>(before.aliases());
            left.remove(alias);
            return new Change(before, before.withAliases(left));
        });
        changed.accept(owner, name);
        targets.retarget(change.before(), change.after());
    }

    static void checkName(String name, String what, String expected) {
        if (!NAME.matcher(name).matches() || DIGITS.matcher(name).matches()) {
            throw ApiException.badRequest(what + " must be " + expected + " (an alias has 1 to 128 letters, digits, '-' and '_', "
                    + "not all digits), got '" + abbreviate(name) + "'");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 130 ? s : s.substring(0, 128) + "…";
    }

    /**
     * Points {@code name} at the request's version (and weights), creating the alias or replacing
     * it; the function as it stands after. Every version named must exist (404) and be
     * {@code ready} (409).
     */
    private Change put(String owner, FunctionRecord function, String name, Request request) {
        checkName(name, "an alias name", "a name");
        Alias alias = validate(function, name, request);
        return quotas.locked(owner, () -> {
            FunctionRecord current = store.find(owner, function.name()).orElseThrow(() -> Functions.notFound(function.name()));
            for (long v : alias.versions()) {
                requireReady(current, v);
            }
            if (!current.aliases().containsKey(name) && current.aliases().size() >= MAX_PER_FUNCTION) {
                throw ApiException.conflict("function '" + current.name() + "' has " + MAX_PER_FUNCTION
                        + " aliases, the most it may have; delete one first");
            }
            Map<String, Alias> after = new HashMap<>(current.aliases());
            after.put(name, alias);
            FunctionRecord next = current.withAliases(after);
            int minWarm = current.settings().minWarm();
            quotas.checkMinWarm(current, next.minWarmAsked(), minWarm);
            if (!store.setAlias(current.id(), alias)) {
                throw Functions.notFound(current.name());
            }
            return new Change(current, next);
        });
    }

    private Alias validate(FunctionRecord function, String name, Request request) {
        if (request == null || request.version() == null) {
            throw ApiException.badRequest("give the alias a version: {\"version\": 3}");
        }
        long version = request.version();
        if (version < 1) {
            throw ApiException.badRequest("version must be a version number (1 or more), got " + version);
        }
        String description = request.description();
        if (description != null && description.length() > MAX_DESCRIPTION) {
            throw ApiException.badRequest("description must be at most " + MAX_DESCRIPTION + " characters");
        }
        Map<String, Double> weights = request.weights() == null ? Map.of() : request.weights();
        if (weights.size() > 1) {
            throw ApiException.badRequest("weights may name one extra version at most, got " + weights.size());
        }
        if (weights.isEmpty()) {
            return new Alias(name, version, 0, 0, description, clock.instant());
        }
        var weight = weights.entrySet().iterator().next();
        long extra;
        try {
            extra = Long.parseLong(weight.getKey());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("weights are keyed by version number, got '" + abbreviate(weight.getKey()) + "'");
        }
        if (extra < 1) {
            throw ApiException.badRequest("weights are keyed by version number (1 or more), got " + extra);
        }
        if (extra == version) {
            throw ApiException.badRequest("the extra version in weights must differ from the alias's version " + version);
        }
        Double share = weight.getValue();
        if (share == null || !(share > 0 && share < 1)) {
            throw ApiException.badRequest("the weight of version " + extra + " must be above 0 and below 1, got " + share);
        }
        return new Alias(name, version, extra, share, description, clock.instant());
    }

    /** 404 when the version does not exist, 409 when it is not ready. */
    private void requireReady(FunctionRecord function, long version) {
        FunctionRecord found = version == function.version() ? function
                : store.versions().find(function.id(), version).orElseThrow(() -> ApiException.notFound(
                        "function '" + function.name() + "' has no version " + version));
        if (found.status() != FunctionRecord.Status.READY) {
            throw ApiException.conflict("version " + version + " of '" + function.name() + "' is " + found.status().id()
                    + "; an alias may only point at a ready version");
        }
    }

    private static Alias find(FunctionRecord function, String name) {
        Alias alias = function.aliases().get(name);
        if (alias == null) {
            throw noSuchAlias(function, name);
        }
        return alias;
    }

    private static ApiException noSuchAlias(FunctionRecord function, String name) {
        return ApiException.notFound("function '" + function.name() + "' has no alias '" + abbreviate(name) + "'");
    }

    static List<Alias> list(FunctionRecord function) {
        return function.aliases().values().stream().sorted(java.util.Comparator.comparing(Alias::name)).toList();
    }

}
