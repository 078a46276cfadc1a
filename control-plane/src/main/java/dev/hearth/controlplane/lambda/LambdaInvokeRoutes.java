package dev.hearth.controlplane.lambda;

import dev.hearth.controlplane.async.AsyncInvocations;
import dev.hearth.controlplane.call.Answer;
import dev.hearth.controlplane.function.FunctionRecord;
import dev.hearth.controlplane.function.Functions;
import dev.hearth.controlplane.function.Resolver;
import dev.hearth.controlplane.http.ApiException;
import dev.hearth.controlplane.http.Exchanges;
import dev.hearth.controlplane.http.HttpServer;
import dev.hearth.controlplane.invocation.InvocationIds;
import dev.hearth.controlplane.invoke.SyncCalls;
import dev.hearth.controlplane.user.AccessKeys;
import dev.hearth.poolmanager.Outcome;
import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.HttpString;
import java.time.Clock;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import dev.hearth.controlplane.http.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lambda's Invoke API, so AWS SDK and CLI clients call Hearth functions unchanged:
 * {@code POST /2015-03-31/functions/{FunctionName}/invocations[?Qualifier=]}, signed with SigV4
 * by a Hearth access key ({@link SigV4Verifier}), whose user owns the functions it can call.
 * {@code X-Amz-Invocation-Type}: {@code RequestResponse} (the default) runs the call through
 * {@link SyncCalls} and answers 200 with the bare result, or with the bare error document and
 * {@code X-Amz-Function-Error: Unhandled}; {@code Event} queues it on {@link AsyncInvocations}
 * (202, empty); {@code DryRun} checks the key, the function and the payload (204).
 * {@code X-Amz-Log-Type: Tail} adds {@code X-Amz-Log-Result}. Every refusal is Lambda's
 * REST-JSON error ({@link LambdaErrors}).
 */
public final class LambdaInvokeRoutes {

    private static final Logger log = LoggerFactory.getLogger(LambdaInvokeRoutes.class);
    static final String PATH = "/2015-03-31/functions/{name}/invocations";
    static final HttpString INVOCATION_TYPE = HttpString.tryFromString("X-Amz-Invocation-Type");
    static final HttpString LOG_TYPE = HttpString.tryFromString("X-Amz-Log-Type");
    static final HttpString CLIENT_CONTEXT = HttpString.tryFromString("X-Amz-Client-Context");
    static final HttpString EXECUTED_VERSION = HttpString.tryFromString("X-Amz-Executed-Version");
    static final HttpString LOG_RESULT = HttpString.tryFromString("X-Amz-Log-Result");
    static final HttpString FUNCTION_ERROR = HttpString.tryFromString("X-Amz-Function-Error");

    private enum InvocationType { REQUEST_RESPONSE, EVENT, DRY_RUN }

    private final Functions functions;
    private final SigV4Verifier verifier;
    private final SyncCalls calls;
    private final AsyncInvocations async;
    private final int maxEventBytes;
    private final Clock clock;
    private final LongSupplier nanos;

    /** @param nanos a monotonic clock in nanoseconds ({@code System::nanoTime}) a call's whole time is measured on */
    public LambdaInvokeRoutes(Functions functions, AccessKeys keys, SyncCalls calls, AsyncInvocations async, int maxEventBytes,
                              Clock clock, LongSupplier nanos) {
        this.functions = functions;
        this.verifier = new SigV4Verifier(keys, clock);
        this.calls = calls;
        this.async = async;
        this.maxEventBytes = maxEventBytes;
        this.clock = clock;
        this.nanos = nanos;
    }

    public void register(RoutingHandler routes) {
        routes.post(PATH, refuseDeclaredTooLarge(HttpServer.route(maxEventBytes, this::invoke)));
    }

    /** A body declared past the limit is refused in Lambda's shape before it is read (a chunked one past it gets Hearth's 413). */
    private HttpHandler refuseDeclaredTooLarge(HttpHandler next) {
        return exchange -> {
            if (exchange.getRequestContentLength() > maxEventBytes) {
                exchange.setPersistent(false);
                Connectors.terminateRequest(exchange);
                LambdaErrors.send(exchange, new LambdaError(413, "RequestTooLargeException",
                        "Request must be smaller than " + maxEventBytes + " bytes for the InvokeFunction operation"));
                return;
            }
            next.handleRequest(exchange);
        };
    }

    private void invoke(HttpServerExchange exchange) {
        try {
            handle(exchange);
        } catch (LambdaError e) {
            LambdaErrors.send(exchange, e);
        } catch (ApiException e) {
            LambdaErrors.send(exchange, LambdaError.of(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LambdaErrors.send(exchange, new LambdaError(503, "ServiceException", "Hearth is stopping; try again shortly"));
        } catch (RuntimeException e) {
            log.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestPath(), e);
            LambdaErrors.send(exchange, new LambdaError(500, "ServiceException", "internal error; the server log has details"));
        }
    }

    private void handle(HttpServerExchange exchange) throws InterruptedException {
        long started = nanos.getAsLong();
        byte[] body = Exchanges.body(exchange, maxEventBytes);
        String owner = verifier.verify(exchange, body);
        FunctionRef ref = FunctionRef.parse(Exchanges.pathParam(exchange, "name"), queryQualifier(exchange));
        InvocationType type = invocationType(exchange.getRequestHeaders().getFirst(INVOCATION_TYPE));
        boolean tail = logTail(exchange.getRequestHeaders().getFirst(LOG_TYPE));
        // Checked here, passed to synchronous calls only, as Lambda does.
        String clientContext = Payloads.clientContext(exchange.getRequestHeaders().getFirst(CLIENT_CONTEXT));
        byte[] event = Payloads.event(body);
        Resolver.Target target = functions.resolve(owner, ref.name(), ref.qualifier());
        SyncCalls.requireReady(target, ref.qualifier());
        FunctionRecord function = target.version();
        String invocationId = InvocationIds.next(clock.millis());
        exchange.getResponseHeaders().put(LambdaErrors.REQUEST_ID, invocationId);
        switch (type) {
            case DRY_RUN -> Exchanges.noContent(exchange);
            case EVENT -> {
                async.submit(invocationId, owner, function, ref.qualifier(), event, null);
                exchange.setStatusCode(202);
                Exchanges.end(exchange);
            }
            case REQUEST_RESPONSE -> {
                SyncCalls.Done done = calls.run(owner, target, invocationId, event, clientContext, started);
                exchange.getResponseHeaders().put(EXECUTED_VERSION, target.executedVersion());
                if (tail) {
                    exchange.getResponseHeaders().put(LOG_RESULT, Payloads.logTail(done.invocation().logs()));
                }
                Answer answer = done.answer();
                if (answer.errorType() == null) {
                    Exchanges.sendRaw(exchange, 200, answer.body());
                } else {
                    exchange.getResponseHeaders().put(FUNCTION_ERROR, "Unhandled");
                    Exchanges.sendRaw(exchange, 200, errorDocument(done));
                }
            }
        }
    }

    /** The function's error as Lambda shows it: the agent's own document, or one for a timeout or crash. */
    private static byte[] errorDocument(SyncCalls.Done done) {
        if (done.invocation().outcome() instanceof Outcome.FunctionError error) {
            return error.json();
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("errorType", done.answer().errorType());
        document.put("errorMessage", done.answer().errorMessage());
        return Json.write(document);
    }

    private static String queryQualifier(HttpServerExchange exchange) {
        Deque<String> values = exchange.getQueryParameters().get("Qualifier");
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw LambdaError.invalidParameter("give one Qualifier, got " + values.size());
        }
        return values.getFirst();
    }

    private static InvocationType invocationType(String header) {
        if (header == null || header.equals("RequestResponse")) {
            return InvocationType.REQUEST_RESPONSE;
        }
        return switch (header) {
            case "Event" -> InvocationType.EVENT;
            case "DryRun" -> InvocationType.DRY_RUN;
            default -> throw LambdaError.invalidParameter(
                    "X-Amz-Invocation-Type must be RequestResponse, Event or DryRun, got '" + header + "'");
        };
    }

    private static boolean logTail(String header) {
        if (header == null || header.equals("None")) {
            return false;
        }
        if (header.equals("Tail")) {
            return true;
        }
        throw LambdaError.invalidParameter("X-Amz-Log-Type must be None or Tail, got '" + header + "'");
    }
}
