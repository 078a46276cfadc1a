package dev.hearth.poolmanager.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodeCacheTest {

    @TempDir
    Path dir;

    static String digest(byte[] bytes) {
        return Digests.sha256Hex(bytes);
    }

    @Test
    void materialize_fetchesOnce_thenServesFromDisk() throws Exception {
        byte[] archive = SafeZipTest.zip(Map.of("main.py", SafeZipTest.text("x = 1")));
        AtomicInteger fetches = new AtomicInteger();
        var cache = new CodeCache(dir.resolve("code"), d -> {
            fetches.incrementAndGet();
            return new ByteArrayInputStream(archive);
        }, ZipLimits.DEFAULT);

        Path first = cache.materialize(digest(archive));
        Path second = cache.materialize(digest(archive));
        assertEquals(first, second);
        assertEquals(1, fetches.get());
        assertEquals("x = 1", Files.readString(first.resolve("main.py")));
    }

    @Test
    void materialize_refusesAnArchiveThatDoesNotMatchItsDigest() throws Exception {
        byte[] archive = SafeZipTest.zip(Map.of("main.py", SafeZipTest.text("x = 1")));
        String wrong = digest(SafeZipTest.text("something else"));
        var cache = new CodeCache(dir.resolve("code"), d -> new ByteArrayInputStream(archive), ZipLimits.DEFAULT);

        assertThrows(IOException.class, () -> cache.materialize(wrong));
        assertFalse(Files.exists(dir.resolve("code").resolve(wrong)), "nothing half-made is published");
        assertThrows(IllegalArgumentException.class, () -> cache.materialize("../../etc"));
    }

    @Test
    void linkInto_mirrorsTheTreeWithHardLinks() throws Exception {
        Path code = Files.createDirectories(dir.resolve("src/pkg"));
        Files.writeString(dir.resolve("src/main.py"), "x");
        Files.writeString(code.resolve("m.py"), "y");
        CodeCache.linkInto(dir.resolve("src"), dir.resolve("slot/code"));

        assertEquals("y", Files.readString(dir.resolve("slot/code/pkg/m.py")));
        assertTrue(Files.isSameFile(dir.resolve("src/main.py"), dir.resolve("slot/code/main.py")));
    }
}
