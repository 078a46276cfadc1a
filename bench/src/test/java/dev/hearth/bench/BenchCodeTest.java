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
}
