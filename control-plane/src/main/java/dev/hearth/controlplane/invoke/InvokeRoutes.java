package dev.hearth.controlplane.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.controlplane.function.FunctionRecord;
import dev.hearth.controlplane.function.Functions;
import dev.hearth.controlplane.http.ApiException;
import dev.hearth.controlplane.http.Exchanges;
import dev.hearth.controlplane.http.Json;
import dev.hearth.controlplane.http.HttpServer;
import dev.hearth.controlplane.user.Authenticator;
import dev.hearth.poolmanager.Invocation;
import dev.hearth.poolmanager.InvokeRequest;
import dev.hearth.poolmanager.Outcome;
import dev.hearth.poolmanager.PoolException;
import dev.hearth.poolmanager.PoolManager;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST /v1/functions/{name}/invoke}: runs the caller's function synchronously and answers
 * with its result. A function that fails answers {@value #FUNCTION_ERROR_STATUS} with the
 * handler's error, so callers can tell it from the platform's own failures (5xx otherwise).
 */
public final class InvokeRoutes {

    /** "The function itself failed": the handler raised, its code would not load, or its container died. */
    public static final int FUNCTION_ERROR_STATUS = 502;
    static final HttpString START = HttpString.tryFromString("X-Hearth-Start");
    static final HttpString INVOCATION_ID = HttpString.tryFromString("X-Hearth-Invocation-Id");

    private final Functions functions;
    private final Authenticator auth;
    private final PoolManager pool;
    private final int maxEventBytes;
    private final ConcurrencyLimiter limiter = new ConcurrencyLimiter();

    public InvokeRoutes(Functions functions, Authenticator auth, PoolManager pool, int maxEventBytes) {
        this.functions = functions;
        this.auth = auth;
        this.pool = pool;
        this.maxEventBytes = maxEventBytes;
    }

    public void register(RoutingHandler routes) {
        routes.post("/v1/functions/{name}/invoke", HttpServer.route(this::invoke));
    }

    private void invoke(HttpServerExchange exchange) throws Exception {
        String owner = auth.require(exchange);
        FunctionRecord function = functions.get(owner, Exchanges.pathParam(exchange, "name"));
        if (function.status() != FunctionRecord.Status.READY) {
            throw ApiException.conflict("function '" + function.name() + "' is " + function.status().name().toLowerCase()
                    + " and cannot be invoked");
        }
        byte[] event = Events.fromBody(Exchanges.body(exchange, maxEventBytes));
        String invocationId = UUID.randomUUID().toString();
        Invocation invocation;
        try (var permit = limiter.acquire(function)) {
            invocation = pool.invoke(new InvokeRequest(function.spec(), invocationId, event));
        } catch (PoolException e) {
            throw e.atCapacity() ? ApiException.throttled(e.getMessage()) : ApiException.unavailable(e.getMessage());
        }
        exchange.getResponseHeaders().put(START, invocation.start().header());
        exchange.getResponseHeaders().put(INVOCATION_ID, invocationId);
        respond(exchange, invocation.outcome());
    }

    private static void respond(HttpServerExchange exchange, Outcome outcome) throws IOException {
        if (outcome instanceof Outcome.Success success) {
            Exchanges.sendRaw(exchange, 200, success.json());
        } else if (outcome instanceof Outcome.FunctionError error) {
            sendFunctionError(exchange, error.json());
        } else if (outcome instanceof Outcome.Timeout timeout) {
            Exchanges.sendError(exchange, 504, "timeout",
                    "the function did not finish within its timeout of " + timeout.timeoutMs() + " ms", Map.of());
        } else if (outcome instanceof Outcome.Crashed crashed) {
            Exchanges.sendError(exchange, FUNCTION_ERROR_STATUS, "function_crashed", crashed.reason(), Map.of());
        }
    }

    private static void sendFunctionError(HttpServerExchange exchange, byte[] agentError) throws IOException {
        JsonNode error = Json.MAPPER.readTree(agentError);
        String type = error.path("errorType").asText("Error");
        String message = error.path("errorMessage").asText("");
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("errorType", type);
        details.put("errorMessage", message);
        if (error.has("stackTrace")) {
            details.put("stackTrace", error.get("stackTrace"));
        }
        Exchanges.sendError(exchange, FUNCTION_ERROR_STATUS, "function_error", type + ": " + message, details);
    }
}
