package dev.hearth.runtime.java;

import static dev.hearth.runtime.java.TestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorBodyTest {

    @Test
    void of_typeAndMessage_isCompactJson() {
        assertEquals("{\"errorType\":\"Runtime.X\",\"errorMessage\":\"a \\\"b\\\"\\n\\\\c\\u0001\"}",
                text(ErrorBody.of("Runtime.X", "a \"b\"\n\\c\u0001")));
    }

    @Test
    void of_nullMessage_isEmptyString() {
        assertEquals("{\"errorType\":\"T\",\"errorMessage\":\"\",\"stackTrace\":[]}", text(ErrorBody.of("T", null, List.of())));
    }

    @Test
    void quote_loneSurrogate_isEscaped() {
        assertEquals("\"\\ud800x😀\"", ErrorBody.quote("\ud800x😀"));
    }

    @Test
    void stackTrace_agentFramesAndReflectionBelowThem_areLeftOut() {
        Throwable error = new IllegalStateException("x");
        error.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("example.Hello", "handle", "Hello.java", 10),
            new StackTraceElement("java.util.ArrayList", "forEach", "ArrayList.java", 1),
            new StackTraceElement("example.Hello", "handleRequest", "Hello.java", 5),
            new StackTraceElement("jdk.internal.reflect.DirectMethodHandleAccessor", "invoke", null, 2),
            new StackTraceElement("java.lang.reflect.Method", "invoke", null, 3),
            new StackTraceElement("dev.hearth.runtime.java.HandlerInvoker$3", "invoke", "HandlerInvoker.java", 4),
            new StackTraceElement("java.lang.Thread", "run", null, 5),
        });
        assertEquals(List.of("example.Hello.handle(Hello.java:10)", "java.util.ArrayList.forEach(ArrayList.java:1)",
                "example.Hello.handleRequest(Hello.java:5)"), ErrorBody.stackTrace(error));
    }

    @Test
    void stackTrace_isTheErrorsOwnFrames_asLambdaGivesThem() {
        Exception root = new IllegalArgumentException("root");
        root.setStackTrace(new StackTraceElement[] {new StackTraceElement("example.A", "b", "A.java", 1)});
        Exception top = new RuntimeException("top", root);
        top.setStackTrace(new StackTraceElement[] {new StackTraceElement("example.A", "c", "A.java", 2)});
        assertEquals(List.of("example.A.c(A.java:2)"), ErrorBody.stackTrace(top));
    }

    @Test
    void printed_listsCausesWithTheirFrames_agentFramesLeftOut() {
        Exception root = new IllegalArgumentException("root");
        root.setStackTrace(new StackTraceElement[] {new StackTraceElement("example.A", "b", "A.java", 1),
            new StackTraceElement("dev.hearth.runtime.java.Dispatcher", "run", null, 1)});
        Exception top = new RuntimeException("top", root);
        top.setStackTrace(new StackTraceElement[] {new StackTraceElement("example.A", "c", "A.java", 2)});
        assertEquals(List.of("java.lang.RuntimeException: top", "\tat example.A.c(A.java:2)",
                "Caused by: java.lang.IllegalArgumentException: root", "\tat example.A.b(A.java:1)"), ErrorBody.printed(top));
    }

    @Test
    void stackTrace_agentsOwnError_keepsAllFrames() {
        Throwable error = new RuntimeException();
        error.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("dev.hearth.runtime.java.Dispatcher", "run", null, 1),
            new StackTraceElement("java.lang.Thread", "run", null, 2),
        });
        assertEquals(2, ErrorBody.stackTrace(error).size());
    }

    @Test
    void stackTrace_veryDeep_isCapped() {
        Throwable error = new StackOverflowError();
        StackTraceElement[] frames = new StackTraceElement[1024];
        java.util.Arrays.fill(frames, new StackTraceElement("example.A", "deep", "A.java", 3));
        error.setStackTrace(frames);
        List<String> lines = ErrorBody.stackTrace(error);
        assertEquals(ErrorBody.MAX_STACK_LINES + 1, lines.size());
        assertEquals("... " + (1024 - ErrorBody.MAX_STACK_LINES) + " more frames", lines.get(lines.size() - 1));
    }

    @Test
    void ofThrown_usesFullyQualifiedClassName() {
        String body = text(ErrorBody.ofThrown(new java.io.UncheckedIOException("io", new java.io.IOException("disk"))));
        assertTrue(body.startsWith("{\"errorType\":\"java.io.UncheckedIOException\",\"errorMessage\":\"io\",\"stackTrace\":["), body);
    }

    @Test
    void ofThrown_withoutMessage_takesTheClassNameAsLambdaDoes() {
        String body = text(ErrorBody.ofThrown(new NullPointerException()));
        assertTrue(body.startsWith("{\"errorType\":\"java.lang.NullPointerException\",\"errorMessage\":\"java.lang.NullPointerException\""), body);
    }
}
