package dev.hearth.controlplane.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one Jackson mapper of the control plane and the JSON chores around it. */
public final class Json {

    private static final Logger log = LoggerFactory.getLogger(Json.class);

    public static final ObjectMapper MAPPER = strict(JsonMapper.builder(JsonFactory.builder()
                    // Jackson's default (20 M characters) would refuse a base64 archive of 15 MB, well
                    // under the documented 50 MiB; every body is already bounded by its route's limit.
                    .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
                    .build())
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // A field declared as a number takes a JSON number of that kind, a string field a JSON
            // string: "100", 100.7, true or 42 in the wrong place is the caller's mistake, said as such.
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build());

    private Json() {}

    private static ObjectMapper strict(JsonMapper mapper) {
        for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean, LogicalType.Textual}) {
            var config = mapper.coercionConfigFor(type);
            for (CoercionInputShape shape : CoercionInputShape.values()) {
                config.setCoercion(shape, CoercionAction.Fail);
            }
        }
        // A JSON value of the declared kind itself is never a coercion: these stay as Jackson has them.
        mapper.coercionConfigFor(LogicalType.Float).setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert);
        return mapper;
    }

    /** Reads a request body into {@code type}, or refuses it with a 400 that says why in the caller's terms. */
    public static <T> T read(byte[] body, Class<T> type) {
        if (body.length == 0) {
            throw ApiException.badRequest("request body must be a JSON object");
        }
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw ApiException.badRequest("request body must be a JSON object");
            }
            return value;
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof ApiException refusal) {
                throw refusal;
            }
            // Jackson's own words name Java types and its settings: the log keeps them.
            log.debug("refused a {} body: {}", type.getSimpleName(), e.getOriginalMessage());
            throw ApiException.badRequest(JsonErrors.describe(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads only tokens, never trees, so no depth is too deep for it: it checks, it does not build. */
    private static final JsonFactory CHECKER = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(Integer.MAX_VALUE)
                    .maxStringLength(Integer.MAX_VALUE).build())
            .build();

    /**
     * A function's stored result, to put in an answer as it is: the JSON itself when it is one
     * JSON value (written as is, so a result nested as deep as its runtime allowed never passes
     * the writer's depth bound once wrapped in a record), else the text.
     */
    public static Object embeddable(String stored) {
        try (JsonParser parser = CHECKER.createParser(stored)) {
            if (parser.nextToken() == null) {
                return stored;
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                return stored;
            }
            return new com.fasterxml.jackson.databind.util.RawValue(stored);
        } catch (IOException e) {
            return stored;
        }
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }
}
