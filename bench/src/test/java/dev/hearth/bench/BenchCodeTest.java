package dev.hearth.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchCodeTest {

    @Test
    void java_isCompiledHere_soHearthBuildsNothing() {
        var files = BenchCode.files("java");
        assertEquals(Set.of("bench/Echo.class"), files.keySet());
        byte[] clazz = files.get("bench/Echo.class");
        assertEquals(0xCAFEBABE, ((clazz[0] & 0xff) << 24) | ((clazz[1] & 0xff) << 16) | ((clazz[2] & 0xff) << 8) | (clazz[3] & 0xff));
    }

    @Test
    void everyRuntime_hasAHandlerThatNamesItsFile() {
        assertTrue(BenchCode.files("python").containsKey("main.py"));
        assertTrue(BenchCode.files("node").containsKey("index.js"));
        assertEquals("bench.Echo::handle", BenchCode.handler("java"));
        assertEquals("main.handler", BenchCode.handler("python"));
    }

    @Test
    void okHandler_inJava_answersStatus200AndOk_toAnyEvent() throws Exception {
        var files = BenchCode.okFiles("java");
        assertEquals(Set.of("bench/Ok.class"), files.keySet());
        assertEquals("bench.Ok::handle", BenchCode.okHandler("java"));
        byte[] bytes = files.get("bench/Ok.class");
        Class<?> ok = new ClassLoader() {
            Class<?> define() {
                return defineClass("bench.Ok", bytes, 0, bytes.length);
            }
        }.define();
        Object answer = ok.getMethod("handle", java.util.Map.class).invoke(ok.getConstructor().newInstance(), java.util.Map.of("n", 1));
        assertEquals(java.util.Map.of("statusCode", 200, "body", "ok"), answer);
    }

    @Test
    void okHandler_inPythonAndNode_returnsTheSameAnswer() {
        assertEquals("main.handler", BenchCode.okHandler("python"));
        assertTrue(new String(BenchCode.okFiles("python").get("main.py")).contains("return {\"statusCode\": 200, \"body\": \"ok\"}"));
        assertTrue(new String(BenchCode.okFiles("node").get("index.js")).contains("({ statusCode: 200, body: \"ok\" })"));
    }
}
