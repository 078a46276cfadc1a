package dev.hearth.controlplane.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.PathTemplateMatch;
import java.nio.ByteBuffer;
import java.util.Deque;
import java.util.Map;

/** Reading requests and writing JSON answers on an Undertow exchange (non-blocking: answers are sent asynchronously). */
public final class Exchanges {

    private Exchanges() {}

    /** The body {@link HttpServer#route} read before the route ran. */
    static final AttachmentKey<byte[]> BODY = AttachmentKey.create(byte[].class);

    /**
     * The request body, already read in full under the limit its route was registered with;
     * refused with 413 past {@code limit} bytes too, for a route that checks a lower one.
     */
    public static byte[] body(HttpServerExchange exchange, long limit) {
        byte[] body = exchange.getAttachment(BODY);
        if (body == null) {
            throw new IllegalStateException("no body was read: register the route with HttpServer.route");
        }
        if (body.length > limit) {
            throw ApiException.tooLarge("request body exceeds the limit of " + limit + " bytes");
        }
        return body;
    }

    public static String pathParam(HttpServerExchange exchange, String name) {
        PathTemplateMatch match = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
        return match.getParameters().get(name);
    }

    /** The first value of the query parameter {@code name}, or null when it is not given. */
    public static String query(HttpServerExchange exchange, String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    /** The query parameter {@code name} as an integer from 1 to {@code max}; {@code otherwise} when it is not given, 400 when it is not such an integer. */
    public static int intQuery(HttpServerExchange exchange, String name, int otherwise, int max) {
        String value = query(exchange, name);
        if (value == null) {
            return otherwise;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ApiException.badRequest(name + " must be an integer from 1 to " + max);
    }

    public static void sendJson(HttpServerExchange exchange, int status, Object value) {
        sendRaw(exchange, status, Json.write(value));
    }

    public static void sendRaw(HttpServerExchange exchange, int status, byte[] json) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        send(exchange, json);
    }

    /**
     * Sends {@code body} and ends the exchange. From a route's worker thread the write and the end
     * are handed to the connection's IO thread: an exchange ended on a worker holds the
     * connection's read state while it resets it, and a keep-alive client's next request, already
     * waiting, makes the IO thread spin on that state until the worker is done (on a busy node, a
     * preempted worker's whole time slice). Ended on the IO thread, the exchange has no such state.
     */
    public static void send(HttpServerExchange exchange, byte[] body) {
        ByteBuffer buffer = ByteBuffer.wrap(body);
        onIoThread(exchange, () -> exchange.getResponseSender().send(buffer));
    }

    /** Ends the exchange with no body (on the IO thread, as {@link #send} does). */
    public static void end(HttpServerExchange exchange) {
        onIoThread(exchange, exchange::endExchange);
    }

    private static void onIoThread(HttpServerExchange exchange, Runnable action) {
        if (exchange.isInIoThread()) {
            action.run();
        } else {
            exchange.dispatch(exchange.getIoThread(), action);
        }
    }

    public static void sendError(HttpServerExchange exchange, ApiException e) {
        sendError(exchange, e.status(), e.type(), e.getMessage(), Map.of());
    }

    /** {@code {"error":{"type","message", ...details}}}. */
    public static void sendError(HttpServerExchange exchange, int status, String type, String message, Map<String, Object> details) {
        sendRaw(exchange, status, errorBody(type, message, details));
    }

    public static byte[] errorBody(String type, String message, Map<String, Object> details) {
        var error = new java.util.LinkedHashMap<String, Object>();
        error.put("type", type);
        error.put("message", message);
        error.putAll(details);
        return Json.write(Map.of("error", error));
    }

    public static void noContent(HttpServerExchange exchange) {
        exchange.setStatusCode(204);
        end(exchange);
    }
}
