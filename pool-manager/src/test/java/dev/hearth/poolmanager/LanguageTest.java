package dev.hearth.poolmanager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LanguageTest {

    @Test
    void byId_findsHearthsIds_inAnyCase() {
        assertEquals(Optional.of(Language.PYTHON), Language.byId("python"));
        assertEquals(Optional.of(Language.NODE), Language.byId("node"));
        assertEquals(Optional.of(Language.JAVA), Language.byId("Java"));
        assertEquals(Optional.of(Language.JAVA25), Language.byId("JAVA25"));
        assertEquals(Optional.empty(), Language.byId("java21"), "java21 is Lambda's identifier, not Hearth's id");
        assertEquals(Optional.empty(), Language.byId(null));
    }

    @Test
    void byLambdaRuntime_findsLambdasIdentifiers_exactlyAsLambdaSpellsThem() {
        assertEquals(Optional.of(Language.PYTHON), Language.byLambdaRuntime("python3.13"));
        assertEquals(Optional.of(Language.NODE), Language.byLambdaRuntime("nodejs20.x"));
        assertEquals(Optional.of(Language.JAVA), Language.byLambdaRuntime("java21"));
        assertEquals(Optional.of(Language.JAVA25), Language.byLambdaRuntime("java25"));
        for (String lacking : List.of("java17", "java11", "JAVA25", "python3.12", "provided.al2023")) {
            assertEquals(Optional.empty(), Language.byLambdaRuntime(lacking), lacking);
        }
    }

    @Test
    void java25_isBothHearthsIdAndLambdas() {
        assertEquals("java25", Language.JAVA25.id());
        assertEquals("java25", Language.JAVA25.lambdaRuntime());
        assertEquals("java21", Language.JAVA.lambdaRuntime());
    }

    @Test
    void jvm_isAPropertyOfEveryJavaRuntime_withItsRelease() {
        assertTrue(Language.JAVA.jvm());
        assertTrue(Language.JAVA25.jvm());
        assertFalse(Language.PYTHON.jvm());
        assertFalse(Language.NODE.jvm());
        assertEquals(21, Language.JAVA.javaRelease());
        assertEquals(25, Language.JAVA25.javaRelease());
        assertEquals(0, Language.PYTHON.javaRelease());
    }

    @Test
    void resizable_onlyWithoutAJvm_whichSizesItsHeapOnceAtStart() {
        for (Language language : Language.values()) {
            assertEquals(!language.jvm(), language.resizable(), language.id());
        }
    }

    @Test
    void buildArguments_nameTheToolchain_andForJavaTheReleaseToCompileFor() {
        assertEquals(List.of("python"), Language.PYTHON.buildArguments());
        assertEquals(List.of("node"), Language.NODE.buildArguments());
        assertEquals(List.of("java", "21"), Language.JAVA.buildArguments());
        assertEquals(List.of("java", "25"), Language.JAVA25.buildArguments());
    }

    @Test
    void onlyJava25_isNotPrewarmedByDefault() {
        assertTrue(Language.PYTHON.prewarmedByDefault());
        assertTrue(Language.NODE.prewarmedByDefault());
        assertTrue(Language.JAVA.prewarmedByDefault());
        assertFalse(Language.JAVA25.prewarmedByDefault());
    }
}
