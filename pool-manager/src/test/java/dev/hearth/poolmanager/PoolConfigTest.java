package dev.hearth.poolmanager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PoolConfigTest {

    @Test
    void runtimeDefaults_anImagePerLanguage_andThreeWaitingExceptForJava25() {
        assertEquals("hearth/runtime-java:latest", PoolConfig.RuntimeConfig.defaultImage(Language.JAVA));
        assertEquals("hearth/runtime-java25:latest", PoolConfig.RuntimeConfig.defaultImage(Language.JAVA25));
        assertEquals("hearth/runtime-python:latest", PoolConfig.RuntimeConfig.defaultImage(Language.PYTHON));
        assertEquals(3, PoolConfig.RuntimeConfig.defaultPoolSize(Language.PYTHON));
        assertEquals(3, PoolConfig.RuntimeConfig.defaultPoolSize(Language.NODE));
        assertEquals(3, PoolConfig.RuntimeConfig.defaultPoolSize(Language.JAVA));
        assertEquals(0, PoolConfig.RuntimeConfig.defaultPoolSize(Language.JAVA25), "its first calls start cold");
    }

    @Test
    void runtimeConfig_refusesANegativePool() {
        assertThrows(IllegalArgumentException.class, () -> new PoolConfig.RuntimeConfig("hearth/runtime-java25:latest", -1));
    }
}
