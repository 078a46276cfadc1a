package dev.hearth.controlplane.route;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.mongodb.client.MongoDatabase;
import dev.hearth.controlplane.function.FunctionRecord;
import dev.hearth.controlplane.function.Functions;
import dev.hearth.controlplane.http.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Every user's routes and function URLs: made, listed and deleted by their owners, and looked up
 * on each public request without a store query. The route table ({@link RouteTable}, one trie
 * over all routes) and each URL are cached for {@link #TTL} and dropped at once when they change,
 * here or on another control plane ({@link #forget}). A deleted function's routes and URL go with it.
 */
public final class Routes {

    static final Duration TTL = Duration.ofSeconds(5);
    /** Routes one user may hold. */
    static final int MAX_PER_USER = 1_000;
    private static final Pattern HOST = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    /** The body of {@code POST /v1/routes}. */
    public record NewRoute(String method, String path, String function, String qualifier, String auth, String host) {}

    /** The body of {@code PUT /v1/functions/{name}/url}. */
    public record NewUrl(String auth, String qualifier, Cors.Request cors) {}

    private final RouteStore routes;
    private final FunctionUrlStore urls;
    private final Functions functions;
    private final RouteSettings settings;
    private final Clock clock;
    private final LoadingCache<Boolean, RouteTable<HttpRoute>> table;
    private final LoadingCache<String, Optional<FunctionUrl>> urlsById;
    private volatile Consumer<String> changes = what -> {};

    public Routes(MongoDatabase database, Functions functions, RouteSettings settings, Clock clock) {
        this.routes = new RouteStore(database);
        this.urls = new FunctionUrlStore(database);
        this.functions = functions;
        this.settings = settings;
        this.clock = clock;
        // One entry: the whole table, rebuilt in the background once stale while the old one serves.
        this.table = Caffeine.newBuilder().refreshAfterWrite(TTL).build(k -> buildTable());
        this.urlsById = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(TTL).build(urls::byId);
        functions.whenDeleted(this::functionDeleted);
    }

    private RouteTable<HttpRoute> buildTable() {
        return RouteTable.of(routes.all().stream()
                .map(r -> new RouteTable.Entry<>(r.host(), r.method(), RoutePattern.parse(r.path()), r))
                .toList());
    }

    /** Where changes are announced: {@code "routes"}, or a URL's id. Set once at start. */
    public void announceChangesTo(Consumer<String> changes) {
        this.changes = changes;
    }

    /**
     * Another control plane changed {@code what} ({@code "routes"} or a URL id): the table is rebuilt
     * in the background while the one before keeps serving; a URL is read afresh on its next request.
     */
    public void forget(String what) {
        if (what.equals("routes")) {
            table.refresh(Boolean.TRUE);
        } else {
            urlsById.invalidate(what);
        }
    }

    /**
     * A change made here: the writer rebuilds the table itself before it answers, so its own next
     * request sees the change and no public request ever waits for a rebuild. One rebuild at a
     * time, each reading the store after its own write, so the last one holds every change.
     */
    private void changed(String what) {
        if (what.equals("routes")) {
            synchronized (table) {
                table.put(Boolean.TRUE, buildTable());
            }
        } else {
            urlsById.invalidate(what);
        }
        changes.accept(what);
    }

    private void functionDeleted(FunctionRecord function) {
        if (routes.deleteFunction(function.id()) > 0) {
            changed("routes");
        }
        urls.byFunction(function.id()).ifPresent(url -> {
            urls.delete(function.id());
            changed(url.id());
        });
    }

    // --- routes -------------------------------------------------------------------------------

    HttpRoute create(String owner, NewRoute request) {
        if (request == null) {
            throw ApiException.badRequest("give a route: {\"method\", \"path\", \"function\", \"auth\"}");
        }
        String method = RoutePattern.checkMethod(request.method());
        if (request.path() == null) {
            throw ApiException.badRequest("path is required, e.g. \"/hello/{name}\"");
        }
        RoutePattern pattern = RoutePattern.parse(request.path());
        String host = host(request.host());
        Access auth = Access.of(request.auth());
        FunctionRecord function = target(owner, request.function(), request.qualifier());
        if (routes.count(owner) >= MAX_PER_USER) {
            throw ApiException.quotaExceeded("you have " + MAX_PER_USER + " routes, the most one user may hold; delete one first");
        }
        if (host != null) {
            settings.checkHost(host);
            String holder = routes.claimHost(host, owner);
            if (!holder.equals(owner)) {
                throw ApiException.conflict("host " + host + " is another user's: its first route made it theirs");
            }
        }
        var route = new HttpRoute(UUID.randomUUID().toString(), owner, method, request.path(), host, function.name(),
                function.id(), emptyToNull(request.qualifier()), auth, clock.instant());
        if (!routes.insert(route, HttpRoute.key(host, method, pattern))) {
            throw ApiException.conflict("a route " + method + " " + request.path() + (host == null ? "" : " on " + host)
                    + " exists already (routes are unique across all users; parameter names do not tell two apart)");
        }
        changed("routes");
        return route;
    }

    List<HttpRoute> list(String owner) {
        return routes.list(owner);
    }

    void delete(String owner, String id) {
        if (!routes.delete(owner, id)) {
            throw ApiException.notFound("you have no route with id '" + (id.length() > 64 ? id.substring(0, 64) + "…" : id) + "'");
        }
        changed("routes");
    }

    /** The route a public request reaches, with its path parameters; empty when none matches. */
    Optional<RouteTable.Match<HttpRoute>> match(String host, String method, String rawPath) {
        return table.get(Boolean.TRUE).match(host, method, rawPath);
    }

    // --- function URLs ------------------------------------------------------------------------

    /** Creates the function's URL or changes its settings; its id stays. */
    FunctionUrl putUrl(String owner, String name, NewUrl request) {
        if (request == null) {
            throw ApiException.badRequest("give the URL's settings: {\"auth\": \"none\" | \"token\"}");
        }
        Access auth = Access.of(request.auth());
        Cors cors = Cors.of(request.cors());
        FunctionRecord function = target(owner, name, request.qualifier());
        String id = urls.byFunction(function.id()).map(FunctionUrl::id).orElseGet(urls::newId);
        var url = new FunctionUrl(id, function.id(), owner, function.name(), auth, emptyToNull(request.qualifier()), cors,
                urls.byFunction(function.id()).map(FunctionUrl::createdAt).orElse(clock.instant()));
        urls.put(url);
        changed(id);
        return url;
    }

    FunctionUrl url(String owner, String name) {
        FunctionRecord function = functions.get(owner, name);
        return urls.byFunction(function.id()).orElseThrow(() -> ApiException.notFound("function '" + name + "' has no URL"));
    }

    void deleteUrl(String owner, String name) {
        FunctionUrl url = url(owner, name);
        urls.delete(url.functionId());
        changed(url.id());
    }

    /** The URL of that id, or empty; an id not of the form ids are drawn in costs no lookup. */
    Optional<FunctionUrl> urlById(String id) {
        return FunctionUrlStore.isId(id) ? urlsById.get(id) : Optional.empty();
    }

    // ------------------------------------------------------------------------------------------

    /** The owner's function, checked to have the qualifier (404 when it has not). */
    private FunctionRecord target(String owner, String name, String qualifier) {
        if (name == null) {
            throw ApiException.badRequest("function is required: the name of one of your functions");
        }
        return functions.resolve(owner, name, emptyToNull(qualifier)).version();
    }

    private static String host(String host) {
        if (host == null) {
            return null;
        }
        String lower = host.toLowerCase(Locale.ROOT);
        if (lower.length() > 253 || !HOST.matcher(lower).matches()) {
            throw ApiException.badRequest("host must be a DNS name (letters, digits, '-' and '.'), without a port, got '"
                    + (host.length() > 64 ? host.substring(0, 64) + "…" : host) + "'");
        }
        return lower;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
