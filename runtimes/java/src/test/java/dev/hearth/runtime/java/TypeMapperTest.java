package dev.hearth.runtime.java;

import static dev.hearth.runtime.java.TestSupport.text;
import static dev.hearth.runtime.java.TestSupport.utf8;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JavaType;
import dev.hearth.fixtures.Handlers;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TypeMapperTest {

    private final TypeMapper json = new TypeMapper();

    private Object read(String event, Class<?> type) throws IOException {
        return json.read(utf8(event), json.type(type));
    }

    @Test
    void read_stringTypeWithJsonString_givesItsValue() throws Exception {
        assertEquals("a \"quoted\" é", read("\"a \\\"quoted\\\" \\u00e9\"", String.class));
    }

    @Test
    void read_stringTypeWithOtherJson_givesTheJsonText() throws Exception {
        assertEquals("{\"a\": [1, 2]}", read(" {\"a\": [1, 2]}\n", String.class));
        assertEquals("42", read("42", String.class));
        assertEquals("true", read("true", String.class));
    }

    @Test
    void read_stringTypeWithNullOrEmpty_givesNull() throws Exception {
        assertNull(read("null", String.class));
        assertNull(read("", String.class));
    }

    @Test
    void read_mapType_givesMap() throws Exception {
        JavaType type = json.type(new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { }.getType());
        Object event = json.read(utf8("{\"a\":1,\"b\":[true,null],\"c\":{\"d\":\"e\"}}"), type);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", 1);
        expected.put("b", java.util.Arrays.asList(true, null));
        expected.put("c", Map.of("d", "e"));
        assertEquals(expected, event);
    }

    @Test
    void read_objectType_givesNaturalJsonTypes() throws Exception {
        assertEquals(LinkedHashMap.class, read("{\"a\":1}", Object.class).getClass());
        assertEquals(List.of(1, "x"), read("[1,\"x\"]", Object.class));
        assertEquals(2.5, read("2.5", Object.class));
    }

    @Test
    void read_pojo_bindsPropertiesAndIgnoresUnknownOnes() throws Exception {
        Handlers.Person person = (Handlers.Person) read("{\"name\":\"Ann\",\"age\":41,\"unknown\":{\"x\":1}}", Handlers.Person.class);
        assertEquals("Ann", person.getName());
        assertEquals(41, person.getAge());
    }

    @Test
    void read_boxedPrimitives_areBound() throws Exception {
        assertEquals(7, read("7", Integer.class));
        assertEquals(7L, read("7", Long.class));
        assertEquals(true, read("true", Boolean.class));
        assertEquals(1.5, read("1.5", Double.class));
        assertNull(read("null", Integer.class));
    }

    @Test
    void read_primitiveWithNull_givesDefaultValue() throws Exception {
        assertEquals(0, read("null", int.class));
    }

    @Test
    void read_mismatchedEvent_throws() {
        assertThrows(IOException.class, () -> read("[1]", Handlers.Person.class));
        assertThrows(IOException.class, () -> read("\"x\"", Integer.class));
    }

    @Test
    void write_string_isJsonString() throws Exception {
        assertEquals("\"line\\nquote\\\"\"", text(json.write("line\nquote\"")));
    }

    @Test
    void write_null_isJsonNull() throws Exception {
        assertEquals("null", text(json.write(null)));
    }

    @Test
    void write_pojoAndMapAndNumber_useJackson() throws Exception {
        Handlers.Person person = new Handlers.Person();
        person.setName("B");
        person.setAge(3);
        assertEquals("{\"name\":\"B\",\"age\":3}", text(json.write(person)));
        assertEquals("{\"k\":[1,2]}", text(json.write(Map.of("k", List.of(1, 2)))));
        assertEquals("12", text(json.write(12)));
    }

    @Test
    void write_beanWithoutProperties_isEmptyObject() throws Exception {
        assertEquals("{}", text(json.write(new Object())));
    }

    @Test
    void write_selfReference_throws() {
        Map<String, Object> self = new java.util.HashMap<>();
        self.put("self", self);
        assertThrows(IOException.class, () -> json.write(self));
    }

    @Test
    void handlerInputType_boundInSuperclass_isResolved() {
        assertEquals(Handlers.Person.class, json.handlerInputType(Handlers.BoundThroughBase.class, RequestHandler.class).getRawClass());
    }

    @Test
    void handlerInputType_parameterizedInput_keepsTypeArguments() {
        JavaType type = json.handlerInputType(Handlers.MapToString.class, RequestHandler.class);
        assertEquals(Map.class, type.getRawClass());
        assertEquals(String.class, type.getKeyType().getRawClass());
    }

    @Test
    void handlerInputType_rawImplementation_isObject() {
        assertEquals(Object.class, json.handlerInputType(Handlers.Raw.class, RequestHandler.class).getRawClass());
    }

    @Test
    void validate_oneValue_isAccepted() {
        for (String body : List.of("", "{}", " [1, {\"a\": null}] ", "\"s\"", "1", "null")) {
            assertDoesNotThrow(() -> json.validate(utf8(body)), body);
        }
    }

    @Test
    void validate_malformedOrTrailingOrBlank_isRefused() {
        for (String body : List.of("{", "{bad}", "[1,]", "1 2", "{} x", "   ", "NaN", "'a'")) {
            assertThrows(IOException.class, () -> json.validate(utf8(body)), body);
        }
    }

    @Test
    void describe_jacksonError_givesMessageAndPosition() {
        IOException error = assertThrows(IOException.class, () -> json.validate(utf8("{\n bad}")));
        String message = TypeMapper.describe(error);
        assertEquals(true, message.endsWith("(line 2, column 2)"), message);
    }
}
