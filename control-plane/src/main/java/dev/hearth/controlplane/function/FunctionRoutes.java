package dev.hearth.controlplane.function;

import dev.hearth.controlplane.http.Exchanges;
import dev.hearth.controlplane.http.Json;
import dev.hearth.controlplane.http.HttpServer;
import dev.hearth.controlplane.stream.Streams;
import dev.hearth.controlplane.user.Authenticator;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /v1/functions}: the caller's own functions. Create ({@code POST}), list (by pages), get, redefine as
 * a new version ({@code PUT}), change settings in place ({@code PATCH}), read the latest build
 * ({@code GET .../build}, or follow it live with {@code ?follow=true}) and delete.
 */
public final class FunctionRoutes {

    private final Functions functions;
    private final Authenticator auth;
    private final long maxBody;
    private final BuildFollowing following;
    /** Room for a full set of labels (16 of up to 256 characters, each one escaped at worst) beside the settings. */
    static final int MAX_PATCH_BODY = 32 * 1024;
    /** Functions in a page of {@code GET /v1/functions}: by default, and at most ({@code ?limit=}). */
    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 1000;

    public FunctionRoutes(Functions functions, Authenticator auth, long maxCodeBytes, Streams streams) {
        this.functions = functions;
        this.auth = auth;
        this.maxBody = maxBody(maxCodeBytes);
        this.following = new BuildFollowing(functions, streams);
    }

    /** A base64 archive of the largest zip ({@code 4 * ceil(n / 3)} bytes), plus 64 KiB for the other fields. */
    public static long maxBody(long maxCodeBytes) {
        return (maxCodeBytes + 2) / 3 * 4 + 64 * 1024;
    }

    public void register(RoutingHandler routes) {
        routes.post("/v1/functions", HttpServer.route(maxBody, this::create));
        routes.get("/v1/functions", HttpServer.route(this::list));
        routes.get("/v1/functions/{name}", HttpServer.route(this::get));
        routes.delete("/v1/functions/{name}", HttpServer.route(this::delete));
        routes.get("/v1/functions/{name}/build", HttpServer.route(this::build));
        routes.add("PATCH", "/v1/functions/{name}", HttpServer.route(MAX_PATCH_BODY, this::patch));
        routes.put("/v1/functions/{name}", HttpServer.route(maxBody, this::update));
    }

    private void create(HttpServerExchange exchange) throws Exception {
        String owner = auth.require(exchange);
        NewFunction request = Json.read(Exchanges.body(exchange, maxBody), NewFunction.class);
        FunctionRecord created = functions.create(owner, request);
        Exchanges.sendJson(exchange, created.status() == FunctionRecord.Status.BUILDING ? 202 : 201, created.view());
    }

    /** 200 when the new version serves at once, 202 while it builds (the previous version keeps serving). */
    private void update(HttpServerExchange exchange) throws Exception {
        String owner = auth.require(exchange);
        NewFunction request = Json.read(Exchanges.body(exchange, maxBody), NewFunction.class);
        FunctionRecord updated = functions.update(owner, Exchanges.pathParam(exchange, "name"), request);
        boolean building = updated.status() == FunctionRecord.Status.BUILDING || updated.pending() != null;
        Exchanges.sendJson(exchange, building ? 202 : 200, updated.view());
    }

    /** {@code ?limit=N&after=NAME}: a page of the caller's functions by name, with {@code next} (the {@code after} of the next page) when more follow. */
    private void list(HttpServerExchange exchange) {
        String owner = auth.require(exchange);
        FunctionStore.Page page = functions.list(owner, Exchanges.query(exchange, "after"),
                Exchanges.intQuery(exchange, "limit", DEFAULT_PAGE, MAX_PAGE));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("functions", page.functions().stream().map(FunctionRecord::view).toList());
        if (page.next() != null) {
            answer.put("next", page.next());
        }
        Exchanges.sendJson(exchange, 200, answer);
    }

    private void get(HttpServerExchange exchange) {
        String owner = auth.require(exchange);
        Exchanges.sendJson(exchange, 200, functions.get(owner, Exchanges.pathParam(exchange, "name")).view());
    }

    private void patch(HttpServerExchange exchange) throws Exception {
        String owner = auth.require(exchange);
        FunctionPatch patch = Json.read(Exchanges.body(exchange, MAX_PATCH_BODY), FunctionPatch.class);
        Exchanges.sendJson(exchange, 200, functions.patch(owner, Exchanges.pathParam(exchange, "name"), patch).view());
    }

    /** The latest build's JSON; with {@code ?follow=true} its events as it runs ({@link BuildFollowing}). */
    private void build(HttpServerExchange exchange) {
        String owner = auth.require(exchange);
        String name = Exchanges.pathParam(exchange, "name");
        if (Streams.follow(exchange)) {
            following.follow(exchange, owner, name);
            return;
        }
        Exchanges.sendJson(exchange, 200, BuildFollowing.view(functions.latestBuild(owner, name)));
    }

    private void delete(HttpServerExchange exchange) {
        String owner = auth.require(exchange);
        functions.delete(owner, Exchanges.pathParam(exchange, "name"));
        Exchanges.noContent(exchange);
    }
}
