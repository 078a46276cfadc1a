package dev.hearth.controlplane.invoke;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.hearth.controlplane.http.ApiException;
import dev.hearth.controlplane.http.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns an invoke request body into the event handed to the handler: a JSON body is passed
 * through byte for byte, anything else arrives as a JSON string, and an empty body as {@code {}}
 * (what Lambda gives a handler invoked without a payload). JSON means what every runtime reads
 * alike: UTF-8 (RFC 8259), numbers within a double's range (I-JSON, RFC 7493).
 */
public final class Events {

    private static final byte[] EMPTY = "{}".getBytes(StandardCharsets.UTF_8);

    private Events() {}

    static byte[] fromBody(byte[] body) {
        if (body.length == 0) {
            return EMPTY;
        }
        if (isUtf8(body) && isPortableJson(body)) {
            return body;
        }
        return Json.write(new String(body, StandardCharsets.UTF_8));
    }

    /**
     * Jackson's reader takes some byte sequences that are not UTF-8 (overlong forms, encoded
     * surrogates); the agents refuse them, so such a body would fail in every runtime.
     */
    /** Whether the bytes are well-formed UTF-8 (what every runtime reads an event as). */
    public static boolean isUtf8(byte[] body) {
        for (byte b : body) {
            if (b < 0) {
                try {
                    StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
                    return true;
                } catch (CharacterCodingException e) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * One JSON value, streamed without building a tree. A number past a double's range (1e999)
     * becomes infinity in Python and Node, which no handler can answer with: refused with 400.
     *
     * @throws ApiException 400 for a number past a double's range, saying where
     */
    public static boolean isPortableJson(byte[] body) {
        try (JsonParser parser = Json.MAPPER.getFactory().createParser(body)) {
            if (parser.nextToken() == null) {
                return false;
            }
            int depth = 0;
            JsonToken token = parser.currentToken();
            while (true) {
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    depth++;
                } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    depth--;
                } else if ((token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_NUMBER_INT)
                        && !Double.isFinite(parser.getDoubleValue())) {
                    throw ApiException.badRequest("the event holds a number outside the range of a double-precision number "
                            + "(at line " + parser.currentLocation().getLineNr() + ", column "
                            + parser.currentLocation().getColumnNr() + "), which the function's runtime cannot read");
                }
                if (depth == 0) {
                    return parser.nextToken() == null;
                }
                token = parser.nextToken();
                if (token == null) {
                    return false;
                }
            }
        } catch (IOException e) {
            return false;
        }
    }
}
