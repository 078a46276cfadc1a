package dev.hearth.runtime.java;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.TypeBindings;
import com.fasterxml.jackson.databind.type.TypeFactory;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Owns JSON: validating bodies, and mapping events to and results from the handler's declared Java types (Jackson). */
final class TypeMapper {

    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

    private final ObjectMapper mapper;

    TypeMapper() {
        mapper = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
    }

    /** The one mapper of the agent, made on first use (Jackson's start-up cost is kept off /healthz). */
    static TypeMapper shared() {
        return Holder.INSTANCE;
    }

    private static final class Holder {
        static final TypeMapper INSTANCE = new TypeMapper();
    }

    JavaType type(Type type) {
        return mapper.getTypeFactory().constructType(type);
    }

    /** I of a class's {@code RequestHandler<I, O>}, wherever in its hierarchy it is bound; Object when unbound. */
    JavaType handlerInputType(Class<?> handlerClass, Class<?> handlerInterface) {
        JavaType[] parameters = type(handlerClass).findTypeParameters(handlerInterface);
        return parameters != null && parameters.length > 0 ? parameters[0] : type(Object.class);
    }

    /** A method parameter's type, with the type variables of generic superclasses bound as {@code owner} binds them. */
    JavaType parameterType(Class<?> owner, Method method, int index) {
        TypeFactory types = mapper.getTypeFactory();
        Type declared = method.getGenericParameterTypes()[index];
        JavaType declaring = type(owner).findSuperType(method.getDeclaringClass());
        TypeBindings bindings = declaring == null ? TypeBindings.emptyBindings() : declaring.getBindings();
        return types.resolveMemberType(declared, bindings);
    }

    /** Checks that {@code json} is one JSON value (or empty, which stands for null). */
    void validate(byte[] json) throws IOException {
        if (json.length == 0) {
            return;
        }
        try (JsonParser parser = mapper.createParser(json)) {
            if (parser.nextToken() == null) {
                throw new JsonParseException(parser, "no JSON value");
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "unexpected content after the JSON value");
            }
        }
    }

    /** A JSON error for people: Jackson's message without its source note, with the line and column. */
    static String describe(IOException error) {
        if (error instanceof JacksonException) {
            JacksonException jackson = (JacksonException) error;
            JsonLocation at = jackson.getLocation();
            String where = at == null || at.getLineNr() < 0 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            return jackson.getOriginalMessage() + where;
        }
        return String.valueOf(error.getMessage());
    }

    JsonNode tree(byte[] json) throws IOException {
        return mapper.readTree(json);
    }

    /**
     * The event as the handler's declared type: for String, a JSON string event gives its value
     * and any other event its JSON text; other types are bound by Jackson (Object gives Maps,
     * Lists, Strings, numbers and booleans). An empty body is JSON null.
     */
    Object read(byte[] event, JavaType type) throws IOException {
        byte[] json = event.length == 0 ? NULL : event;
        if (type.hasRawClass(String.class)) {
            try (JsonParser parser = mapper.createParser(json)) {
                JsonToken token = parser.nextToken();
                if (token == JsonToken.VALUE_STRING) {
                    return parser.getText();
                }
                if (token == JsonToken.VALUE_NULL) {
                    return null;
                }
                return new String(json, StandardCharsets.UTF_8).strip();
            }
        }
        return mapper.readValue(json, type);
    }

    /** The handler's result as JSON: a String becomes a JSON string, null (or void) becomes null. */
    byte[] write(Object result) throws IOException {
        if (result == null) {
            return NULL.clone();
        }
        try {
            return mapper.writeValueAsBytes(result);
        } catch (StackOverflowError e) {
            throw new IOException("the result is too deeply nested or refers to itself", e);
        }
    }

    /** Loads and runs the mapping paths once, so the first /init does not pay for them. */
    void warmUp() {
        try {
            Object event = read("{\"a\":[1,2.5,\"x\",true,null],\"b\":{\"c\":\"d\"}}".getBytes(StandardCharsets.UTF_8), type(Map.class));
            write(event);
            write("text");
            validate("{\"k\":[1]}".getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            Diagnostics.log("JSON warm-up failed", e);
        }
    }
}
