package dev.hearth.runtime.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.amazonaws.services.lambda.runtime.LambdaRuntimeInternal;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Log4jRequestIdTest {

    @TempDir
    Path codeDir;
    private ClassLoader loader;

    /** A stand-in for log4j 2's ThreadContext in the function's code: put stores, get reads back. */
    @BeforeEach
    void compileThreadContext() throws Exception {
        Path source = codeDir.resolve("org/apache/logging/log4j/ThreadContext.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "package org.apache.logging.log4j;\n"
                + "public final class ThreadContext {\n"
                + "  private static final ThreadLocal<java.util.Map<String, String>> MAP = ThreadLocal.withInitial(java.util.HashMap::new);\n"
                + "  public static void put(String key, String value) { MAP.get().put(key, value); }\n"
                + "  public static String get(String key) { return MAP.get().get(key); }\n"
                + "}\n");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "the build runs on a JDK, which has a compiler");
        assertEquals(0, javac.run(null, null, null, "-nowarn", "-d", codeDir.toString(), source.toString()));
        loader = new URLClassLoader(new URL[] {codeDir.toUri().toURL()}, getClass().getClassLoader());
    }

    @AfterEach
    void noAppender() {
        LambdaRuntimeInternal.setUseLog4jAppender(false);
    }

    private String requestIdSeen() throws Exception {
        return (String) Class.forName("org.apache.logging.log4j.ThreadContext", true, loader)
                .getMethod("get", String.class).invoke(null, Log4jRequestId.KEY);
    }

    @Test
    void put_onceALambdaAppenderIsInUse_tagsThreadContextWithEachRequestId() throws Exception {
        LambdaRuntimeInternal.setUseLog4jAppender(true);
        Log4jRequestId tagger = new Log4jRequestId(loader);
        tagger.put("req-1");
        assertEquals("req-1", requestIdSeen());
        tagger.put("req-2");
        assertEquals("req-2", requestIdSeen());
    }

    @Test
    void put_withoutALambdaAppender_leavesLog4jAlone() throws Exception {
        new Log4jRequestId(loader).put("req-1");
        assertNull(requestIdSeen());
    }

    @Test
    void put_withoutLog4j_doesNothing() {
        LambdaRuntimeInternal.setUseLog4jAppender(true);
        new Log4jRequestId(getClass().getClassLoader()).put("req-1");
    }
}
