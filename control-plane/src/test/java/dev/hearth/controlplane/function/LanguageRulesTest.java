package dev.hearth.controlplane.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.controlplane.http.ApiException;
import dev.hearth.poolmanager.Language;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LanguageRulesTest {

    @Test
    void of_givesEveryJvmRuntimeJavasRules_andEachOtherLanguageItsOwn() {
        assertEquals(LanguageRules.JAVA, LanguageRules.of(Language.JAVA));
        assertEquals(LanguageRules.JAVA, LanguageRules.of(Language.JAVA25));
        assertEquals(LanguageRules.PYTHON, LanguageRules.of(Language.PYTHON));
        assertEquals(LanguageRules.NODE, LanguageRules.of(Language.NODE));
    }

    @Test
    void handler_aPythonOrNodeHandlerNamesAFunctionInAModule_aJavaOneMayNameAClassAlone() {
        assertThrows(ApiException.class, () -> LanguageRules.PYTHON.handler("main"));
        assertThrows(ApiException.class, () -> LanguageRules.NODE.handler("index"));
        assertEquals("Hello", LanguageRules.of(Language.JAVA25).handler("Hello"));
    }

    @Test
    void handler_defaultsWhereLambdaHasOne_andIsRequiredForJava() {
        assertEquals("main.handler", LanguageRules.PYTHON.handler(null));
        assertEquals("index.handler", LanguageRules.NODE.handler(null));
        assertThrows(ApiException.class, () -> LanguageRules.JAVA.handler(null));
    }

    @Test
    void handler_formsFollowEachRuntime() {
        LanguageRules.NODE.handler("src/app.handler");
        LanguageRules.JAVA.handler("example.Hello");
        LanguageRules.JAVA.handler("example.Hello::handleRequest");
        LanguageRules.JAVA.handler("Hello::handleRequest");
        for (String bad : new String[] {"handler", "a..b", "../up.handler", "x.y z"}) {
            assertThrows(ApiException.class, () -> LanguageRules.NODE.handler(bad), bad);
        }
        assertThrows(ApiException.class, () -> LanguageRules.JAVA.handler("example.Hello::"));
        assertThrows(ApiException.class, () -> LanguageRules.PYTHON.handler("main-handler"));
    }

    @Test
    void holdsHandler_findsTheFileWhereEachRuntimeLooks() {
        assertTrue(LanguageRules.PYTHON.holdsHandler(Set.of("pkg/api/__init__.py"), "pkg.api.handler"));
        assertTrue(LanguageRules.NODE.holdsHandler(Set.of("src/app.mjs"), "src/app.handler"));
        assertFalse(LanguageRules.NODE.holdsHandler(Set.of("app.mjs"), "src/app.handler"));
        assertTrue(LanguageRules.JAVA.holdsHandler(Set.of("src/main/java/example/Hello.java"), "example.Hello::run"));
        assertTrue(LanguageRules.JAVA.holdsHandler(Set.of("example/Hello.class"), "example.Hello"));
        assertFalse(LanguageRules.JAVA.holdsHandler(Set.of("example/Other.java"), "example.Hello"));
    }

    @Test
    void needsBuild_onlyWhenThereIsSomethingToInstallOrCompile() {
        assertFalse(LanguageRules.PYTHON.needsBuild(Set.of("main.py")));
        assertTrue(LanguageRules.PYTHON.needsBuild(Set.of("main.py", "requirements.txt")));
        assertTrue(LanguageRules.NODE.needsBuild(Set.of("index.js", "package.json")));
        assertFalse(LanguageRules.NODE.needsBuild(Set.of("index.js", "package.json", "node_modules/x/index.js")));
        assertTrue(LanguageRules.JAVA.needsBuild(Set.of("Hello.java")));
        assertTrue(LanguageRules.JAVA.needsBuild(Set.of("pom.xml", "src/main/java/A.java")));
        assertFalse(LanguageRules.JAVA.needsBuild(Set.of("example/Hello.class", "lib/dep.jar")));
        assertFalse(LanguageRules.JAVA.handlerCheckable(Set.of("pom.xml")), "a Maven project's classes exist only after the build");
    }

    @Test
    void lambdaHandler_defaultsToLambdas() {
        assertEquals("lambda_function.lambda_handler", LanguageRules.PYTHON.lambdaHandler(null));
        assertEquals("index.handler", LanguageRules.NODE.lambdaHandler(null));
        assertEquals("app.run", LanguageRules.PYTHON.lambdaHandler("app.run"));
        assertThrows(ApiException.class, () -> LanguageRules.JAVA.lambdaHandler(null));
    }

    @Test
    void handler_formsLambdaAccepts_pythonInAFolder_javaInTheUnnamedPackage() {
        assertEquals("src/handler.endpoint", LanguageRules.PYTHON.handler("src/handler.endpoint"));
        assertTrue(LanguageRules.PYTHON.holdsHandler(Set.of("src/handler.py"), "src/handler.endpoint"));
        assertEquals("Hello", LanguageRules.JAVA.handler("Hello"));
        assertTrue(LanguageRules.JAVA.holdsHandler(Set.of("Hello.class"), "Hello"));
        for (String bad : new String[] {"../x.handler", "src/../x.handler", "/abs.handler", "src/.handler", "my-dir/x.handler"}) {
            assertThrows(ApiException.class, () -> LanguageRules.PYTHON.handler(bad), bad);
        }
    }
}
