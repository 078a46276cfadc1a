package dev.hearth.controlplane.route;

import dev.hearth.controlplane.function.Functions;
import dev.hearth.controlplane.function.Resolver;
import dev.hearth.controlplane.http.ApiException;
import dev.hearth.controlplane.http.Exchanges;
import dev.hearth.controlplane.http.HttpServer;
import dev.hearth.controlplane.invocation.InvocationIds;
import dev.hearth.controlplane.invoke.SyncCalls;
import dev.hearth.controlplane.user.Authenticator;
import dev.hearth.poolmanager.Outcome;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Real HTTP served by functions on the API's own listener: {@code /fn/<url id>/…} reaches a
 * function URL, and any other path no API route takes is matched against every user's routes.
 * The request becomes an API Gateway HTTP API 2.0 event ({@link HttpEvent}); the function's
 * answer becomes the response ({@link HttpAnswer}). {@code token} endpoints need their owner's
 * bearer token, which is then not passed on; a URL's CORS preflights are answered from its settings.
 */
public final class PublicEndpoints {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PublicEndpoints.class);
    static final HttpString INVOCATION_ID = HttpString.tryFromString("X-Hearth-Invocation-Id");

    private final Routes routes;
    private final Functions functions;
    private final Authenticator auth;
    private final SyncCalls calls;
    private final int maxBodyBytes;
    private final Clock clock;
    private final LongSupplier nanos;

    /** The endpoint a request reached: whose, which function and qualifier, how it is keyed in the event. */
    private record Endpoint(String owner, String function, String qualifier, Access access, Cors cors, String routeKey,
                            String apiId, String rawPath, Map<String, String> pathParameters) {}

    public PublicEndpoints(Routes routes, Functions functions, Authenticator auth, SyncCalls calls, int maxBodyBytes,
                           Clock clock, LongSupplier nanos) {
        this.routes = routes;
        this.functions = functions;
        this.auth = auth;
        this.calls = calls;
        this.maxBodyBytes = maxBodyBytes;
        this.clock = clock;
        this.nanos = nanos;
    }

    /** Serves every path the API's routes do not take. */
    public void register(RoutingHandler handler) {
        HttpHandler serve = HttpServer.route(maxBodyBytes, this::serve);
        handler.setFallbackHandler(serve);
    }

    private void serve(HttpServerExchange exchange) throws Exception {
        long started = nanos.getAsLong();
        String method = exchange.getRequestMethod().toString();
        Endpoint endpoint = endpoint(exchange, method);
        boolean preflight = method.equals("OPTIONS")
                && exchange.getRequestHeaders().getFirst(Headers.ORIGIN) != null
                && exchange.getRequestHeaders().getFirst("Access-Control-Request-Method") != null;
        if (preflight && endpoint.cors() != null) {
            answerPreflight(exchange, endpoint.cors());
            return;
        }
        if (endpoint.access() == Access.TOKEN) {
            String caller = auth.require(exchange);
            if (!caller.equals(endpoint.owner())) {
                throw new ApiException(403, "forbidden", "this endpoint takes its owner's token");
            }
        }
        Resolver.Target target;
        try {
            target = functions.resolve(endpoint.owner(), endpoint.function(), endpoint.qualifier());
            SyncCalls.requireReady(target, endpoint.qualifier());
        } catch (ApiException e) {
            // A version still building, an alias deleted since: the owner's to fix; the public gets no names.
            log.debug("{} {} cannot be served: {}", method, endpoint.routeKey(), e.getMessage());
            throw new ApiException(503, "unavailable", "this endpoint's function cannot be run now; try again later");
        }
        String invocationId = InvocationIds.next(clock.millis());
        byte[] event = HttpEvent.of(request(exchange, endpoint, invocationId));
        SyncCalls.Done done;
        try {
            done = calls.run(endpoint.owner(), target, invocationId, event, null, started);
        } catch (ApiException e) {
            if (e.status() != 429) {
                // The pool's words (a container that would not start) are the operator's, not a public caller's.
                log.warn("{} {} could not run: {}", method, endpoint.routeKey(), e.getMessage());
                throw new ApiException(503, "unavailable", "this endpoint's function cannot be run now; try again later");
            }
            // The limit's message names the function and its settings: the owner's business, not a public caller's.
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(Math.max(1, e.retryAfterSeconds())));
            send(exchange, HttpAnswer.throttled());
            return;
        }
        Outcome outcome = done.invocation().outcome();
        HttpAnswer.Response response = outcome instanceof Outcome.Success success ? HttpAnswer.fromResult(success.json())
                : outcome instanceof Outcome.Timeout ? HttpAnswer.timeout() : HttpAnswer.functionError();
        exchange.getResponseHeaders().put(INVOCATION_ID, invocationId);
        if (endpoint.cors() != null) {
            corsHeaders(exchange, endpoint.cors());
        }
        send(exchange, response);
    }

    /** The URL or route the request reached; 404 when none. */
    private Endpoint endpoint(HttpServerExchange exchange, String method) {
        String rawPath = rawPath(exchange);
        if (rawPath.startsWith(FunctionUrl.PREFIX)) {
            int end = rawPath.indexOf('/', FunctionUrl.PREFIX.length());
            String id = rawPath.substring(FunctionUrl.PREFIX.length(), end < 0 ? rawPath.length() : end);
            FunctionUrl url = routes.urlById(id).orElseThrow(() -> ApiException.notFound("no function URL here"));
            String rest = end < 0 ? "/" : rawPath.substring(end);
            return new Endpoint(url.owner(), url.function(), url.qualifier(), url.auth(), url.cors(), "$default", url.id(),
                    rest, Map.of());
        }
        var match = routes.match(exchange.getHostName(), method, rawPath)
                .orElseThrow(() -> ApiException.notFound("no route for " + method + " " + clip(exchange.getRequestPath())));
        HttpRoute route = match.value();
        return new Endpoint(route.owner(), route.function(), route.qualifier(), route.auth(), null, route.routeKey(),
                route.id(), rawPath, match.pathParameters());
    }

    /** The path as the client sent it, not decoded (an absolute-form target loses its scheme and authority). */
    private static String rawPath(HttpServerExchange exchange) {
        String uri = exchange.getRequestURI();
        if (!uri.startsWith("/")) {
            int authority = uri.indexOf("://");
            int path = authority < 0 ? -1 : uri.indexOf('/', authority + 3);
            uri = path < 0 ? "/" : uri.substring(path);
        }
        return uri;
    }

    private HttpEvent.Request request(HttpServerExchange exchange, Endpoint endpoint, String invocationId) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (HeaderValues values : exchange.getRequestHeaders()) {
            // The owner's Hearth token opened a token endpoint: it is Hearth's secret, not the function's input.
            if (endpoint.access() == Access.TOKEN && values.getHeaderName().equals(Headers.AUTHORIZATION)) {
                continue;
            }
            for (String value : values) {
                headers.add(Map.entry(values.getHeaderName().toString(), value));
            }
        }
        InetSocketAddress peer = exchange.getConnection().getPeerAddress(InetSocketAddress.class);
        String sourceIp = peer == null || peer.getAddress() == null ? "" : peer.getAddress().getHostAddress();
        return new HttpEvent.Request(exchange.getRequestMethod().toString(), endpoint.rawPath(), exchange.getQueryString(),
                headers, sourceIp, Exchanges.body(exchange, maxBodyBytes), endpoint.routeKey(), endpoint.pathParameters(),
                invocationId, clock.instant(), exchange.getHostName(), "$default", endpoint.owner(), endpoint.apiId());
    }

    private static void answerPreflight(HttpServerExchange exchange, Cors cors) {
        String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
        String method = exchange.getRequestHeaders().getFirst("Access-Control-Request-Method");
        String requested = exchange.getRequestHeaders().getFirst("Access-Control-Request-Headers");
        String allowed = cors.allowedOrigin(origin);
        exchange.getResponseHeaders().put(Headers.VARY, "Origin");
        if (allowed == null || !cors.allowsMethod(method) || !cors.allowsHeaders(requested)) {
            Exchanges.sendError(exchange, 403, "cors_refused",
                    "this origin, method or header is not allowed by the URL's CORS settings", Map.of());
            return;
        }
        var out = exchange.getResponseHeaders();
        out.put(HttpString.tryFromString("Access-Control-Allow-Origin"), allowed);
        out.put(HttpString.tryFromString("Access-Control-Allow-Methods"),
                cors.allowMethods().isEmpty() ? method : String.join(", ", cors.allowMethods()));
        if (requested != null && !requested.isBlank()) {
            out.put(HttpString.tryFromString("Access-Control-Allow-Headers"),
                    cors.allowHeaders().contains("*") ? requested : String.join(", ", cors.allowHeaders()));
        }
        if (cors.maxAge() > 0) {
            out.put(HttpString.tryFromString("Access-Control-Max-Age"), Integer.toString(cors.maxAge()));
        }
        if (cors.allowCredentials()) {
            out.put(HttpString.tryFromString("Access-Control-Allow-Credentials"), "true");
        }
        exchange.setStatusCode(204);
        Exchanges.end(exchange);
    }

    private static void corsHeaders(HttpServerExchange exchange, Cors cors) {
        String allowed = cors.allowedOrigin(exchange.getRequestHeaders().getFirst(Headers.ORIGIN));
        exchange.getResponseHeaders().add(Headers.VARY, "Origin");
        if (allowed == null) {
            return;
        }
        var out = exchange.getResponseHeaders();
        out.put(HttpString.tryFromString("Access-Control-Allow-Origin"), allowed);
        if (!cors.exposeHeaders().isEmpty()) {
            out.put(HttpString.tryFromString("Access-Control-Expose-Headers"), String.join(", ", cors.exposeHeaders()));
        }
        if (cors.allowCredentials()) {
            out.put(HttpString.tryFromString("Access-Control-Allow-Credentials"), "true");
        }
    }

    static void send(HttpServerExchange exchange, HttpAnswer.Response response) {
        exchange.setStatusCode(response.status());
        var out = exchange.getResponseHeaders();
        for (Map.Entry<String, String> header : response.headers()) {
            if (INVOCATION_ID.equalToString(header.getKey())) {
                continue; // Hearth's, for the call the owner looks up: a function may not name another
            }
            out.add(HttpString.tryFromString(header.getKey()), header.getValue());
        }
        for (String cookie : response.setCookies()) {
            out.add(Headers.SET_COOKIE, cookie);
        }
        if (exchange.getRequestMethod().equals(io.undertow.util.Methods.HEAD)) {
            // The headers a GET would get, Content-Length too (Undertow would say 0 for no body sent).
            if (response.status() != 204 && response.status() != 304) {
                exchange.setResponseContentLength(response.body().length);
            }
            Exchanges.end(exchange);
            return;
        }
        Exchanges.send(exchange, response.body());
    }

    private static String clip(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
