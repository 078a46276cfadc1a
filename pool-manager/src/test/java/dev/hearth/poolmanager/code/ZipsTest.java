package dev.hearth.poolmanager.code;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZipsTest {

    @TempDir
    Path dir;

    @Test
    void zipTree_keepsRegularFiles_andLeavesOutLinksAndSpecialFiles(@TempDir Path outside) throws Exception {
        Path secret = Files.writeString(outside.resolve("secret"), "host secret");
        Files.createDirectories(outside.resolve("folder"));
        Files.writeString(outside.resolve("folder/inner"), "host folder");
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("index.js"), "code");
        Files.createDirectories(out.resolve("lib"));
        Files.writeString(out.resolve("lib/util.js"), "util");
        Files.createSymbolicLink(out.resolve("leak"), secret);
        Files.createSymbolicLink(out.resolve("lib/up"), outside.resolve("folder"));
        Files.createSymbolicLink(out.resolve("inside"), out.resolve("index.js"));
        assertEquals(0, new ProcessBuilder("mkfifo", out.resolve("fifo").toString()).start().waitFor());

        Zips.Packed packed = Zips.zipTree(out, ZipLimits.DEFAULT);

        Path unpacked = Files.createDirectories(dir.resolve("unpacked"));
        Set<String> names = SafeZip.extract(new ByteArrayInputStream(packed.zip()), unpacked, ZipLimits.DEFAULT);
        assertEquals(Set.of("index.js", "lib/util.js"), names);
        assertEquals(List.of("fifo: not a regular file", "inside: a symbolic link", "leak: a symbolic link", "lib/up: a symbolic link"),
                packed.leftOut().stream().sorted().toList());
        assertTrue(new String(packed.zip()).indexOf("host secret") < 0);
    }

    @Test
    void zipTree_isDeterministic() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("b"), "2");
        Files.writeString(out.resolve("a"), "1");
        assertArrayEquals(Zips.zipTree(out, ZipLimits.DEFAULT).zip(), Zips.zipTree(out, ZipLimits.DEFAULT).zip());
    }

    @Test
    void zipTree_overTheLimits_isRefusedAsTooLarge() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        for (int i = 0; i < 3; i++) {
            Files.write(out.resolve("f" + i), new byte[100]);
        }
        assertTrue(assertThrows(ArchiveException.class, () -> Zips.zipTree(out, new ZipLimits(2, 1_000))).tooLarge());
        assertTrue(assertThrows(ArchiveException.class, () -> Zips.zipTree(out, new ZipLimits(10, 250))).tooLarge());
    }
}
