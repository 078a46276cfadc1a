package dev.hearth.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.cli.CliException;
import dev.hearth.cli.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    @Test
    void python_mainPy_isMainHandler() throws IOException {
        write("main.py", "def handler(event, context):\n    return event\n");
        Project p = Project.detect(dir, null, null);
        assertEquals("python", p.runtime());
        assertEquals("main.handler", p.handler());
        assertFalse(p.needsBuild());
        assertEquals(dir.toAbsolutePath().normalize(), p.root());
    }

    @Test
    void python_lambdaFunction_isLambdasHandler_andRequirementsNeedABuild() throws IOException {
        write("lambda_function.py", "import json\n\ndef lambda_handler(event, context):\n    return 1\n");
        write("helpers.py", "def helper():\n    pass\n");
        write("requirements.txt", "requests\n");
        Project p = Project.detect(dir, null, null);
        assertEquals("lambda_function.lambda_handler", p.handler());
        assertTrue(p.needsBuild());
    }

    @Test
    void python_loneFile_takesItsOnlyFunction() throws IOException {
        write("app.py", "async def serve(event, context):\n    return 1\n");
        assertEquals("app.serve", Project.detect(dir, null, null).handler());
    }

    @Test
    void python_handlerPy_beforeALoneFileRule() throws IOException {
        write("handler.py", "def handler(e, c):\n    return 1\n");
        write("other.py", "def x():\n    pass\n");
        assertEquals("handler.handler", Project.detect(dir, null, null).handler());
    }

    @Test
    void node_packageJsonMain_namesTheModule_andNeedsABuild() throws IOException {
        write("package.json", "{\"name\":\"x\",\"main\":\"./src/app.js\"}");
        write("src/app.js", "exports.handler = async () => 1;\n");
        Project p = Project.detect(dir, null, null);
        assertEquals("node", p.runtime());
        assertEquals("src/app.handler", p.handler());
        assertTrue(p.needsBuild());
    }

    @Test
    void node_packageJsonWithoutMain_isIndex() throws IOException {
        write("package.json", "{\"name\":\"x\"}");
        write("index.mjs", "export const handler = async () => 1;\n");
        assertEquals("index.handler", Project.detect(dir, null, null).handler());
    }

    @Test
    void node_loneJsFile() throws IOException {
        write("hello.js", "exports.handler = async () => 1;\n");
        Project p = Project.detect(dir, null, null);
        assertEquals("node", p.runtime());
        assertEquals("hello.handler", p.handler());
        assertFalse(p.needsBuild());
    }

    @Test
    void node_brokenPackageJson_isAUsageError() throws IOException {
        write("package.json", "{not json");
        CliException e = assertThrows(CliException.class, () -> Project.detect(dir, null, null));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("package.json"), e.getMessage());
    }

    @Test
    void maven_findsTheRequestHandlerClass() throws IOException {
        write("pom.xml", "<project/>");
        write("src/main/java/example/Util.java", "package example;\npublic class Util {}\n");
        write("src/main/java/example/Hello.java", """
                package example;

                import com.amazonaws.services.lambda.runtime.Context;
                import com.amazonaws.services.lambda.runtime.RequestHandler;

                public class Hello implements RequestHandler<Object, String> {
                    public String handleRequest(Object in, Context c) { return "hi"; }
                }
                """);
        write("target/classes/Stale.java", "public class Stale implements RequestHandler<Object,Object> {}");
        Project p = Project.detect(dir, null, null);
        assertEquals("java", p.runtime());
        assertEquals("example.Hello", p.handler());
        assertTrue(p.needsBuild());
    }

    @Test
    void maven_aPlainHandleRequestMethod_isClassColonColonMethod() throws IOException {
        write("pom.xml", "<project/>");
        write("src/main/java/a/b/Fn.java", "package a.b;\npublic class Fn {\n  public String handleRequest(String s) { return s; }\n}\n");
        assertEquals("a.b.Fn::handleRequest", Project.detect(dir, null, null).handler());
    }

    @Test
    void maven_twoHandlers_isAUsageErrorNamingBoth() throws IOException {
        write("pom.xml", "<project/>");
        write("src/main/java/A.java", "public class A implements RequestHandler<Object,Object> {}");
        write("src/main/java/B.java", "public class B implements RequestStreamHandler {}");
        CliException e = assertThrows(CliException.class, () -> Project.detect(dir, null, null));
        assertTrue(e.getMessage().contains("A, B") && e.getMessage().contains("--handler"), e.getMessage());
    }

    @Test
    void maven_handlerOption_wins() throws IOException {
        write("pom.xml", "<project/>");
        assertEquals("x.Y::z", Project.detect(dir, null, "x.Y::z").handler());
    }

    @Test
    void java_loneSourceFile_inAFolder() throws IOException {
        write("Hello.java", "public class Hello { public String handleRequest(String s) { return s; } }");
        Project p = Project.detect(dir, null, null);
        assertEquals("Hello::handleRequest", p.handler());
        assertTrue(p.needsBuild());
    }

    @Test
    void singleFile_isItsOwnRoot() throws IOException {
        Path file = write("echo.py", "def handler(event, context):\n    return event\n");
        Project p = Project.detect(file, null, null);
        assertTrue(p.singleFile());
        assertEquals("echo.handler", p.handler());
        Path js = write("fn.mjs", "export const handler = async () => 1;");
        assertEquals("fn.handler", Project.detect(js, null, null).handler());
        Path java = write("Greeter.java", "package greet;\npublic class Greeter implements RequestHandler<String,String> {}");
        assertEquals("greet.Greeter", Project.detect(java, null, null).handler());
    }

    @Test
    void runtimeOption_lambdaIdentifier_isKept_andPicksTheLanguage() throws IOException {
        write("main.py", "def handler(e, c):\n    return 1\n");
        write("index.js", "exports.handler = 1");
        assertEquals("python3.13", Project.detect(dir, "python3.13", null).runtime());
        Project node = Project.detect(dir, "nodejs20.x", null);
        assertEquals("index.handler", node.handler());
    }

    @Test
    void unknownRuntime_isAUsageError() throws IOException {
        write("main.py", "def handler(e, c):\n    return 1\n");
        CliException e = assertThrows(CliException.class, () -> Project.detect(dir, "ruby3.3", null));
        assertTrue(e.getMessage().contains("unknown runtime 'ruby3.3'"), e.getMessage());
    }

    @Test
    void nothingRecognisable_namesTheFolderAndWhatWasLookedFor() throws IOException {
        write("README.md", "# nothing here");
        write("a.py", "x = 1\n");
        write("b.py", "y = 2\n");
        CliException e = assertThrows(CliException.class, () -> Project.detect(dir, null, null));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("no function found in " + dir), e.getMessage());
        assertTrue(e.getMessage().contains("requirements.txt") && e.getMessage().contains("package.json")
                && e.getMessage().contains("pom.xml"), e.getMessage());
    }

    @Test
    void missingPath_isAUsageError() {
        CliException e = assertThrows(CliException.class, () -> Project.detect(dir.resolve("nope"), null, null));
        assertTrue(e.getMessage().contains("no such folder or file"), e.getMessage());
    }

    @Test
    void symlinkedRoot_isRefused() throws IOException {
        Path real = Files.createDirectory(dir.resolve("real"));
        Files.writeString(real.resolve("main.py"), "def handler(e, c):\n    return 1\n");
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        CliException e = assertThrows(CliException.class, () -> Project.detect(link, null, null));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
    }

    @Test
    void aHugeSourceFile_isNotReadWhole_toFindItsHandler() throws IOException {
        // Sparse: 3 GiB on paper, nothing on disk; read whole it is an OutOfMemoryError (a stack trace, exit 1).
        try (var file = new java.io.RandomAccessFile(dir.resolve("main.py").toFile(), "rw")) {
            file.setLength(3L << 30);
        }
        assertEquals("main.handler", Project.detect(dir, null, null).handler());
    }
}
