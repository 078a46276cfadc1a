package dev.hearth.controlplane.function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.controlplane.http.ApiException;
import dev.hearth.poolmanager.FunctionSettings;
import dev.hearth.poolmanager.code.TestZips;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionValidatorTest {

    final FunctionValidator validator = new FunctionValidator(
            new Limits(1024 * 1024, 6 * 1024 * 1024, 128, 4096, 3000, 900_000, 100));

    static NewFunction source(String name, String handler, String filename) {
        return new NewFunction(name, "python", handler, new NewFunction.Source(filename, "def handler(e, c): pass\n"),
                null, null, null, null, null, null, null, null, null, null, null);
    }

    static NewFunction archive(String handler, String base64) {
        return new NewFunction("f", "python", handler, null, base64, null, null, null, null, null, null, null, null, null, null);
    }

    static ValidFunction.Upload upload(ValidFunction valid) {
        return assertInstanceOf(ValidFunction.Upload.class, valid.code());
    }

    static dev.hearth.poolmanager.Workload.Image image(ValidFunction valid) {
        return assertInstanceOf(ValidFunction.Image.class, valid.code()).workload();
    }

    static ApiException refused(Runnable r) {
        return assertThrows(ApiException.class, r::run);
    }

    @Test
    void source_isPackedDeterministically_withDefaults() {
        var first = validator.validate(source("hello", "main.handler", "main.py"));
        var second = validator.validate(source("hello", "main.handler", "main.py"));
        assertArrayEquals(upload(first).zip(), upload(second).zip(), "same source, same bytes, same digest");
        assertEquals(new FunctionSettings(128, 3000, 0, Map.of(), false, 0), first.settings());
    }

    @Test
    void handler_defaultsToMainHandler_andMustMatchAFile() {
        assertEquals("main.handler", upload(validator.validate(source("f", null, "main.py"))).handler());
        assertTrue(refused(() -> validator.validate(source("f", "app.handler", "main.py"))).getMessage().contains("app.py"));
        assertEquals(400, refused(() -> validator.validate(source("f", "handler", "main.py"))).status());
    }

    @Test
    void archive_handlerMayLiveInAPackage() {
        String zip = Base64.getEncoder().encodeToString(TestZips.ofText(Map.of(
                "svc/__init__.py", "", "svc/api.py", "def handler(e, c): pass\n")));
        assertEquals("svc.api.handler", upload(validator.validate(archive("svc.api.handler", zip))).handler());
        assertEquals("svc.handler", upload(validator.validate(archive("svc.handler", zip))).handler());
        assertEquals(400, refused(() -> validator.validate(archive("main.handler", zip))).status());
    }

    @Test
    void archive_overTheLimit_is413_beforeDecoding() {
        String huge = "A".repeat(2 * 1024 * 1024);
        assertEquals(413, refused(() -> validator.validate(archive("main.handler", huge))).status());
    }

    @Test
    void ranges_areChecked() {
        NewFunction base = source("f", "main.handler", "main.py");
        var tooMuchMemory = new NewFunction("f", "python", null, base.source(), null, null, null, 8192, null, null, null, null, null, null, null);
        var tooLong = new NewFunction("f", "python", null, base.source(), null, null, null, null, 900_001, null, null, null, null, null, null);
        var noConcurrency = new NewFunction("f", "python", null, base.source(), null, null, null, null, null, 0, null, null, null, null, null);
        assertTrue(refused(() -> validator.validate(tooMuchMemory)).getMessage().contains("memoryMb"));
        assertTrue(refused(() -> validator.validate(tooLong)).getMessage().contains("timeoutMs"));
        assertTrue(refused(() -> validator.validate(noConcurrency)).getMessage().contains("concurrency"));
    }

    @Test
    void env_keysAndSizeAreChecked() {
        NewFunction base = source("f", "main.handler", "main.py");
        var ok = new NewFunction("f", "python", null, base.source(), null, null, null, null, null, null, Map.of("API_URL", "x"), null, null, null, null);
        assertEquals(Map.of("API_URL", "x"), validator.validate(ok).settings().env());
        var badKey = new NewFunction("f", "python", null, base.source(), null, null, null, null, null, null, Map.of("A-B", "x"), null, null, null, null);
        var tooBig = new NewFunction("f", "python", null, base.source(), null, null, null, null, null, null, Map.of("BIG", "x".repeat(5000)), null, null, null, null);
        assertEquals(400, refused(() -> validator.validate(badKey)).status());
        assertEquals(400, refused(() -> validator.validate(tooBig)).status());
    }

    @Test
    void network_isNoneUnlessEgressIsAsked() {
        NewFunction base = source("f", "main.handler", "main.py");
        var egress = new NewFunction("f", "python", null, base.source(), null, null, null, null, null, null, null, "egress", null, null, null);
        var bogus = new NewFunction("f", "python", null, base.source(), null, null, null, null, null, null, null, "host", null, null, null);
        assertEquals(false, validator.validate(base).settings().egress());
        assertEquals(true, validator.validate(egress).settings().egress());
        assertEquals(400, refused(() -> validator.validate(bogus)).status());
    }

    static NewFunction image(String image, String contract, Integer minWarm) {
        return new NewFunction("img", null, null, null, null, image, contract, null, null, null, null, null, minWarm, null, null);
    }

    @Test
    void image_needsAReferenceAndAContract_andNoCode() {
        var exec = image(validator.validate(image("hearth/example-rev", "exec", null)));
        assertEquals(dev.hearth.poolmanager.Workload.Contract.EXEC, exec.contract());
        assertEquals("registry.local:5000/team/app:1.2@sha256:" + "a".repeat(64),
                image(validator.validate(image("registry.local:5000/team/app:1.2@sha256:" + "a".repeat(64), "http", 2))).reference());
        assertTrue(refused(() -> validator.validate(image("hearth/example-rev", null, null))).getMessage().contains("contract"));
        assertTrue(refused(() -> validator.validate(image("hearth/example-rev", "grpc", null))).getMessage().contains("'grpc'"));
        assertTrue(refused(() -> validator.validate(image("Not An Image", "exec", null))).getMessage().contains("image must be"));
        var withCode = new NewFunction("img", "python", null, null, null, "hearth/x", "exec", null, null, null, null, null, null, null, null);
        assertEquals(400, refused(() -> validator.validate(withCode)).status());
    }

    /** One grammar, Docker's: what the daemon would read as a registry is valid here and judged by the pool manager's policy. */
    @Test
    void image_readsReferencesAsDockerDoes() {
        for (String valid : new String[] {"[::1]:5000/x/y", "[fd00::1]/team/app:1", "INTERNAL/app:1", "localhost:5000/x", "127.0.0.1:8080/x/y:1"}) {
            assertEquals(valid, image(validator.validate(image(valid, "exec", null))).reference(), valid);
        }
        for (String bad : new String[] {"127.1:5000/x", "0x7f.0.0.1/x", "[zz::1]/x", "http://r.example/x", "team/App",
                "r.example:99999/x", "x".repeat(256)}) {
            var refused = refused(() -> validator.validate(image(bad, "exec", null)));
            assertEquals(400, refused.status(), bad);
            assertTrue(refused.getMessage().contains("image must be"), refused::getMessage);
        }
    }

    @Test
    void minWarm_isBounded_andMeaninglessForExec() {
        assertEquals(3, validator.validate(image("hearth/example-http", "http", 3)).settings().minWarm());
        assertTrue(refused(() -> validator.validate(image("hearth/example-rev", "exec", 1))).getMessage().contains("exec"));
        assertTrue(refused(() -> validator.validate(image("hearth/example-http", "http", 11))).getMessage().contains("minWarm"));
    }

    @Test
    void names_followTheDocumentedPattern() {
        FunctionValidator.checkName("a");
        FunctionValidator.checkName("My_function-2");
        FunctionValidator.checkName("x".repeat(64));
        for (String bad : new String[] {"", "_x", "x".repeat(65), "a b", "a.b", "a/b", null}) {
            assertEquals(400, refused(() -> FunctionValidator.checkName(bad)).status(), "name " + bad);
        }
    }

    static NewFunction withRuntime(String runtime, String handler, String filename, String content) {
        return new NewFunction("f", runtime, handler, new NewFunction.Source(filename, content),
                null, null, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void lambdaRuntimeIdentifiers_mapToTheLanguageWhoseImageMatches_withLambdasDefaultHandler() {
        var python = upload(validator.validate(withRuntime("python3.13", null, "lambda_function.py", "def lambda_handler(e, c): pass\n")));
        assertEquals(dev.hearth.poolmanager.Language.PYTHON, python.language());
        assertEquals("lambda_function.lambda_handler", python.handler());
        var node = upload(validator.validate(withRuntime("nodejs20.x", null, "index.js", "exports.handler = async () => 1;\n")));
        assertEquals(dev.hearth.poolmanager.Language.NODE, node.language());
        assertEquals("index.handler", node.handler());
        var java = upload(validator.validate(withRuntime("java21", "Hello", "Hello.java", "public class Hello {}\n")));
        assertEquals(dev.hearth.poolmanager.Language.JAVA, java.language());
        var java25 = upload(validator.validate(withRuntime("java25", "example.Hello::handle", "Hello.java", "public class Hello {}\n")));
        assertEquals(dev.hearth.poolmanager.Language.JAVA25, java25.language());
        assertEquals("example.Hello::handle", java25.handler());
        assertTrue(java25.needsBuild(), "sources are compiled, as for java");
    }

    @Test
    void java25_takesJavasRules_aHandlerIsRequired_andTheCodeMustHoldIt() {
        assertEquals(400, refused(() -> validator.validate(withRuntime("java25", null, "Hello.java", "class Hello {}\n"))).status());
        assertEquals(400, refused(() -> validator.validate(withRuntime("java25", "main.handler", "main.py", "x = 1\n"))).status(),
                "a .py file is no Java source");
        assertEquals(400, refused(() -> validator.validate(withRuntime("java25", "example.Other", "Hello.java", "class Hello {}\n"))).status());
        assertEquals(dev.hearth.poolmanager.Language.JAVA25,
                upload(validator.validate(withRuntime("JAVA25", "Hello", "Hello.java", "class Hello {}\n"))).language(),
                "Hearth's ids are case-blind, as java's is");
    }

    @Test
    void hearthsOwnIds_keepHearthsDefaultHandler() {
        assertEquals("main.handler", upload(validator.validate(withRuntime("python", null, "main.py", "def handler(e, c): pass\n"))).handler());
        assertEquals(400, refused(() -> validator.validate(withRuntime("python3.13", null, "main.py", "x = 1\n"))).status(),
                "Lambda's default handler needs lambda_function.py");
    }

    @Test
    void anIdentifierHearthLacks_is400_listingThoseItHas() {
        for (String runtime : new String[] {"python3.12", "nodejs22.x", "java17", "java26", "provided.al2023", "PYTHON3.13"}) {
            ApiException refused = refused(() -> validator.validate(withRuntime(runtime, "main.handler", "main.py", "x = 1\n")));
            assertEquals(400, refused.status(), runtime);
            assertEquals("unknown runtime '" + runtime + "'; Hearth has python, node, java, java25, python3.13, nodejs20.x, java21",
                    refused.getMessage());
        }
    }
}
