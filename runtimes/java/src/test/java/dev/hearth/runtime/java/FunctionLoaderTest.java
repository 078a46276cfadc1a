package dev.hearth.runtime.java;

import static dev.hearth.runtime.java.TestSupport.text;
import static dev.hearth.runtime.java.TestSupport.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.Context;
import dev.hearth.fixtures.Handlers;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionLoaderTest {

    private static final String FIXTURES = "dev.hearth.fixtures.Handlers$";

    @TempDir
    Path codeDir;

    private final LogCapture capture = new LogCapture(() -> TestSupport.NOW);
    private final Context context = TestSupport.context(capture);
    private final FunctionLoader loader = new FunctionLoader(FunctionLoaderTest.class.getClassLoader(), TypeMapper::shared);

    private HandlerInvoker load(String handler) throws InitFailure {
        return loader.load(handler, codeDir).invoker();
    }

    private String call(HandlerInvoker invoker, String event) throws InvocationFailure {
        return text(invoker.invoke(utf8(event), context));
    }

    private InitFailure failure(String handler) {
        return assertThrows(InitFailure.class, () -> load(handler));
    }

    @Test
    void load_requestHandlerClass_mapsEventToDeclaredInput() throws Exception {
        HandlerInvoker invoker = load(FIXTURES + "MapToString");
        assertEquals(HandlerInvoker.Kind.REQUEST_HANDLER, invoker.kind());
        assertEquals(Map.class, invoker.inputType().getRawClass());
        assertEquals("\"got x env null\"", call(invoker, "{\"name\":\"x\"}"));
    }

    @Test
    void load_requestHandlerClass_isInstantiatedOnce() throws Exception {
        int before = Handlers.MapToString.INSTANCES.get();
        HandlerInvoker invoker = load(FIXTURES + "MapToString");
        call(invoker, "{}");
        call(invoker, "{}");
        assertEquals(before + 1, Handlers.MapToString.INSTANCES.get());
    }

    @Test
    void load_pojoHandler_mapsPojoInAndOut() throws Exception {
        assertEquals("{\"name\":\"Ann\",\"age\":42}", call(load(FIXTURES + "PojoHandler"), "{\"name\":\"Ann\",\"age\":41,\"other\":1}"));
    }

    @Test
    void load_inputBoundInGenericSuperclass_resolvesThroughHierarchy() throws Exception {
        HandlerInvoker invoker = load(FIXTURES + "BoundThroughBase");
        assertEquals(Handlers.Person.class, invoker.inputType().getRawClass());
        assertEquals("\"Person\"", call(invoker, "{\"name\":\"a\"}"));
    }

    @Test
    void load_rawRequestHandler_fallsBackToObjectGivingMaps() throws Exception {
        HandlerInvoker invoker = load(FIXTURES + "Raw");
        assertEquals(Object.class, invoker.inputType().getRawClass());
        assertEquals("\"java.util.LinkedHashMap\"", call(invoker, "{\"a\":1}"));
        assertEquals("\"java.util.ArrayList\"", call(invoker, "[1]"));
    }

    @Test
    void load_streamHandlerClass_passesRawBytes() throws Exception {
        HandlerInvoker invoker = load(FIXTURES + "Streams");
        assertEquals(HandlerInvoker.Kind.STREAM_HANDLER, invoker.kind());
        assertEquals("{\"echo\":[1, 2]}", call(invoker, "[1, 2]"));
    }

    @Test
    void load_voidResult_givesNull() throws Exception {
        assertEquals("null", call(load(FIXTURES + "VoidHandler"), "1"));
    }

    @Test
    void load_staticMethodWithoutContext_isCalledWithoutInstance() throws Exception {
        int before = Handlers.Methods.INSTANCES.get();
        HandlerInvoker invoker = load(FIXTURES + "Methods::twice");
        assertEquals(HandlerInvoker.Kind.METHOD_EVENT, invoker.kind());
        assertEquals("42", call(invoker, "21"));
        assertEquals(before, Handlers.Methods.INSTANCES.get());
    }

    @Test
    void load_overloadedInstanceMethod_prefersTheOneWithContext() throws Exception {
        HandlerInvoker invoker = load(FIXTURES + "Methods::greet");
        assertEquals(HandlerInvoker.Kind.METHOD_EVENT_CONTEXT, invoker.kind());
        assertEquals("\"hello ann from fn #1\"", call(invoker, "\"ann\""));
        assertEquals("\"hello ann from fn #2\"", call(invoker, "\"ann\""));
    }

    @Test
    void load_methodWithGenericParameter_mapsElements() throws Exception {
        assertEquals("6", call(load(FIXTURES + "Methods::sum"), "[1, 2, \"3\"]"));
    }

    @Test
    void load_voidMethod_givesNull() throws Exception {
        assertEquals("null", call(load(FIXTURES + "Methods::nothing"), "{}"));
    }

    @Test
    void load_streamMethod_copiesBytes() throws Exception {
        HandlerInvoker invoker = load(FIXTURES + "Methods::copy");
        assertEquals(HandlerInvoker.Kind.METHOD_STREAMS_CONTEXT, invoker.kind());
        assertNull(invoker.inputType());
        assertEquals("{\"a\": 1}", call(invoker, "{\"a\": 1}"));
        assertEquals("null", call(invoker, ""));
    }

    @Test
    void load_methodWithoutParameters_isAccepted() throws Exception {
        assertEquals("\"none\"", call(load(FIXTURES + "Methods::none"), "{}"));
    }

    @Test
    void load_classImplementingNeither_isHandlerNotFound() {
        InitFailure failure = failure(FIXTURES + "NotAHandler");
        assertEquals(InitFailure.HANDLER_NOT_FOUND, failure.errorType());
        assertTrue(failure.getMessage().contains("::method"), failure.getMessage());
    }

    @Test
    void load_missingClass_isHandlerNotFound() {
        assertEquals(InitFailure.HANDLER_NOT_FOUND, failure("example.DoesNotExist").errorType());
    }

    @Test
    void load_missingMethod_isHandlerNotFound() {
        assertEquals(InitFailure.HANDLER_NOT_FOUND, failure(FIXTURES + "Methods::absent").errorType());
    }

    @Test
    void load_noConstructorWithoutParameters_isHandlerNotFound() {
        assertEquals(InitFailure.HANDLER_NOT_FOUND, failure(FIXTURES + "NoDefaultConstructor").errorType());
    }

    @Test
    void load_abstractClass_isHandlerNotFound() {
        assertEquals(InitFailure.HANDLER_NOT_FOUND, failure(FIXTURES + "GenericBase").errorType());
    }

    @Test
    void load_staticInitializerThrows_isExceptionInInitializerError_withTheInitializersFrames() {
        InitFailure failure = failure(FIXTURES + "FailingStatic");
        assertEquals("java.lang.ExceptionInInitializerError", failure.errorType());
        assertEquals("Error loading class " + FIXTURES + "FailingStatic", failure.getMessage());
        assertEquals(IllegalStateException.class, failure.getCause().getClass());
        assertTrue(text(failure.body()).contains("\"stackTrace\":[\"dev.hearth.fixtures.Handlers$FailingStatic.<clinit>("), text(failure.body()));
    }

    @Test
    void load_staticInitializerThrowsError_keepsItsType() {
        InitFailure failure = failure(FIXTURES + "StaticInitializerError");
        assertEquals("java.lang.AssertionError", failure.errorType());
        assertTrue(failure.getMessage().startsWith("Error loading class " + FIXTURES + "StaticInitializerError: "), failure.getMessage());
        assertEquals(AssertionError.class, failure.getCause().getClass());
    }

    @Test
    void load_constructorThrows_keepsItsTypeAndMessage() {
        InitFailure failure = failure(FIXTURES + "FailingConstructor");
        assertEquals("java.lang.UnsupportedOperationException", failure.errorType());
        assertEquals(UnsupportedOperationException.class, failure.getCause().getClass());
        assertTrue(text(failure.body()).contains("\"stackTrace\":[\"dev.hearth.fixtures.Handlers$FailingConstructor.<init>("), text(failure.body()));
    }

    @Test
    void load_malformedNames_areMalformedHandlerName() {
        for (String name : List.of("", "a..B", ".A", "A.", "a.B::", "::m", "a.B::m::n", "a.B:m", "1a.B", "a.B::1m", "a b.C", "a.B::m()")) {
            assertEquals(InitFailure.MALFORMED_HANDLER_NAME, failure(name).errorType(), name);
        }
    }

    @Test
    void load_classInCodeDirectory_isLoadedWithTheAgentsLambdaInterfaces() throws Exception {
        compile(codeDir, "example/Hello.java", "package example;\n"
                + "import com.amazonaws.services.lambda.runtime.*;\n"
                + "public class Hello implements RequestHandler<String, String> {\n"
                + "  public String handleRequest(String s, Context c) { return \"hello \" + s + \" \" + c.getLogGroupName(); }\n"
                + "}\n");
        FunctionLoader.Loaded loaded = loader.load("example.Hello", codeDir);
        assertEquals("\"hello x /hearth/fn\"", text(loaded.invoker().invoke(utf8("\"x\""), context)));
        Class<?> hello = loaded.classLoader().loadClass("example.Hello");
        assertNotSame(FunctionLoaderTest.class.getClassLoader(), hello.getClassLoader());
        assertSame(Context.class, loaded.classLoader().loadClass(Context.class.getName()));
    }

    @Test
    void codeUrls_listsDirectoryThenRootJarsThenLibJars() throws Exception {
        Files.createDirectories(codeDir.resolve("lib"));
        Files.write(codeDir.resolve("b.jar"), new byte[0]);
        Files.write(codeDir.resolve("a.jar"), new byte[0]);
        Files.write(codeDir.resolve("lib/c.jar"), new byte[0]);
        Files.write(codeDir.resolve("notes.txt"), new byte[0]);
        List<String> urls = java.util.Arrays.stream(FunctionLoader.codeUrls(codeDir)).map(u -> u.getPath().substring(codeDir.toUri().getPath().length())).toList();
        assertEquals(List.of("", "a.jar", "b.jar", "lib/c.jar"), urls);
    }

    @Test
    void codeUrls_missingDirectory_isStillAFolderUrl() throws Exception {
        assertTrue(FunctionLoader.codeUrls(codeDir.resolve("absent"))[0].toString().endsWith("/absent/"));
    }

    private static void compile(Path root, String file, String source) throws Exception {
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "the build runs on a JDK, which has a compiler");
        String lambdaCore = new File(Context.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        int status = javac.run(null, null, null, "-nowarn", "-cp", lambdaCore, "-d", root.toString(), path.toString());
        assertEquals(0, status);
    }
}
