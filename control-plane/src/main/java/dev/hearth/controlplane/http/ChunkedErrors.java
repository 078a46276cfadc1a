package dev.hearth.controlplane.http;

import io.undertow.conduits.ChunkedStreamSourceConduit;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import java.io.Closeable;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a malformed chunked body be answered. Undertow's chunk decoder closes the connection the
 * moment it meets a chunk size it cannot read, before the read error reaches the handler, so
 * the client would get no answer at all. Here the decoder of one request is given a close that
 * does nothing; the error then reaches {@link BodyReader}, which answers 400 and closes the
 * connection itself (or closes it at once when the client went away).
 *
 * <p>The field is Undertow's private one, so this is checked by the protocol-noise tests; if a
 * later Undertow renames it, chunked errors fall back to Undertow's closed connection and a
 * warning is logged once.
 */
final class ChunkedErrors {

    private static final Logger log = LoggerFactory.getLogger(ChunkedErrors.class);
    private static final Closeable KEEP_OPEN = () -> { };
    private static final Field CLOSEABLE = closeableField();

    private ChunkedErrors() {}

    /** Makes the chunk decoder of {@code exchange}'s request report errors instead of closing. */
    static void answerable(HttpServerExchange exchange) {
        if (CLOSEABLE == null || !(exchange.getConnection() instanceof HttpServerConnection connection)) {
            return;
        }
        if (connection.getChannel().getSourceChannel().getConduit() instanceof ChunkedStreamSourceConduit chunked) {
            try {
                CLOSEABLE.set(chunked, KEEP_OPEN);
            } catch (IllegalAccessException e) {
                log.warn("cannot make chunked body errors answerable: {}", e.toString());
            }
        }
    }

    private static Field closeableField() {
        try {
            Field field = ChunkedStreamSourceConduit.class.getDeclaredField("closeable");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("malformed chunked bodies will close the connection unanswered: {}", e.toString());
            return null;
        }
    }
}
