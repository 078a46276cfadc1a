package dev.hearth.controlplane.invoke;

import dev.hearth.controlplane.async.AsyncInvocations;
import dev.hearth.controlplane.async.AsyncStatus;
import dev.hearth.controlplane.call.Answer;
import dev.hearth.controlplane.function.FunctionRecord;
import dev.hearth.controlplane.function.Functions;
import dev.hearth.controlplane.function.Resolver;
import dev.hearth.controlplane.http.ApiException;
import dev.hearth.controlplane.http.Exchanges;
import dev.hearth.controlplane.http.HttpServer;
import dev.hearth.controlplane.invocation.InvocationIds;
import dev.hearth.controlplane.user.Authenticator;
import dev.hearth.poolmanager.Invocation;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.HttpString;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * {@code POST /v1/functions/{name}/invoke[?qualifier=alias|version]}: runs the caller's function
 * (the version the qualifier resolves to, {@code X-Hearth-Version} and {@code X-Hearth-Alias} on the answer) synchronously, answers
 * with its result ({@link Answer}) and records the invocation; with
 * {@code X-Hearth-Invocation-Type: async} it hands the event to {@link AsyncInvocations} and
 * answers 202 once it is stored.
 */
public final class InvokeRoutes {

    static final HttpString START = HttpString.tryFromString("X-Hearth-Start");
    static final HttpString NODE = HttpString.tryFromString("X-Hearth-Node");
    static final HttpString INVOCATION_ID = HttpString.tryFromString("X-Hearth-Invocation-Id");
    static final HttpString INVOCATION_TYPE = HttpString.tryFromString("X-Hearth-Invocation-Type");
    static final HttpString CALLBACK_URL = HttpString.tryFromString("X-Hearth-Callback-Url");
    static final HttpString VERSION = HttpString.tryFromString("X-Hearth-Version");
    static final HttpString ALIAS = HttpString.tryFromString("X-Hearth-Alias");

    private final Functions functions;
    private final Authenticator auth;
    private final SyncCalls calls;
    private final AsyncInvocations async;
    private final int maxEventBytes;
    private final Clock clock;
    private final LongSupplier nanos;

    /** @param nanos a monotonic clock in nanoseconds ({@code System::nanoTime}) a call's whole time is measured on */
    public InvokeRoutes(Functions functions, Authenticator auth, SyncCalls calls, AsyncInvocations async, int maxEventBytes,
                        Clock clock, LongSupplier nanos) {
        this.functions = functions;
        this.auth = auth;
        this.calls = calls;
        this.async = async;
        this.maxEventBytes = maxEventBytes;
        this.clock = clock;
        this.nanos = nanos;
    }

    public void register(RoutingHandler routes) {
        routes.post("/v1/functions/{name}/invoke", HttpServer.route(maxEventBytes, this::invoke));
    }

    /** {@code X-Hearth-Invocation-Type}: {@code sync} (the default) or {@code async}. */
    private static boolean isAsync(HttpServerExchange exchange) {
        String type = exchange.getRequestHeaders().getFirst(INVOCATION_TYPE);
        if (type == null || type.equalsIgnoreCase("sync")) {
            return false;
        }
        if (type.equalsIgnoreCase("async")) {
            return true;
        }
        throw ApiException.badRequest("X-Hearth-Invocation-Type must be 'sync' or 'async', got '" + type + "'");
    }

    /** {@code X-Hearth-Callback-Url}: where an async invocation's outcome is posted; http or https. */
    private static String callbackUrl(HttpServerExchange exchange) {
        String url = exchange.getRequestHeaders().getFirst(CALLBACK_URL);
        if (url == null) {
            return null;
        }
        try {
            URI uri = new URI(url);
            if ((uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) || uri.getHost() == null) {
                throw new URISyntaxException(url, "not an absolute http(s) URL");
            }
            return uri.toString();
        } catch (URISyntaxException e) {
            throw ApiException.badRequest("X-Hearth-Callback-Url must be an absolute http or https URL, got '" + url + "'");
        }
    }

    /** {@code ?qualifier=}: a version number, {@code $LATEST} or an alias; null when absent. */
    private static String qualifier(HttpServerExchange exchange) {
        var values = exchange.getQueryParameters().get("qualifier");
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw ApiException.badRequest("give one qualifier, got " + values.size());
        }
        String qualifier = values.getFirst();
        return qualifier.isEmpty() ? null : qualifier;
    }

    private void invoke(HttpServerExchange exchange) throws Exception {
        long started = nanos.getAsLong();
        String owner = auth.require(exchange);
        String qualifier = qualifier(exchange);
        Resolver.Target target = functions.resolve(owner, Exchanges.pathParam(exchange, "name"), qualifier);
        SyncCalls.requireReady(target, qualifier);
        FunctionRecord function = target.version();
        byte[] event = Events.fromBody(Exchanges.body(exchange, maxEventBytes));
        String invocationId = InvocationIds.next(clock.millis());
        if (isAsync(exchange)) {
            async.submit(invocationId, owner, function, qualifier, event, callbackUrl(exchange));
            exchange.getResponseHeaders().put(INVOCATION_ID, invocationId);
            Exchanges.sendJson(exchange, 202, Map.of("invocationId", invocationId, "status", AsyncStatus.QUEUED.id()));
            return;
        }
        SyncCalls.Done done = calls.run(owner, target, invocationId, event, null, started);
        Invocation invocation = done.invocation();
        Answer answer = done.answer();
        exchange.getResponseHeaders().put(START, invocation.start().header());
        exchange.getResponseHeaders().put(NODE, invocation.node());
        exchange.getResponseHeaders().put(INVOCATION_ID, invocationId);
        exchange.getResponseHeaders().put(VERSION, function.version());
        if (target.alias() != null) {
            exchange.getResponseHeaders().put(ALIAS, target.alias());
        }
        Exchanges.sendRaw(exchange, answer.status(), answer.body());
    }
}
