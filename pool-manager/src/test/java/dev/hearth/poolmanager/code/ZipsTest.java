package dev.hearth.poolmanager.code;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.poolmanager.support.Digests;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TimeZone;
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

    @Test
    void single_givesTheBytesUploadsAlwaysHad_andUnpacksToItsFile() throws Exception {
        byte[] source = "def handler(e, c): pass\n".getBytes(StandardCharsets.UTF_8);
        byte[] zip = Zips.single("main.py", source);
        // The digest of a source function's code before the zip writers became one: the same upload keeps its digest.
        assertEquals("3036ea6083f02a52253fdb9ce707b43a4357c2f4a2496f38c9e519387557ed6f", Digests.sha256Hex(zip));
        var zone = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati"));
            assertArrayEquals(zip, Zips.single("main.py", source), "the bytes do not depend on the time zone");
        } finally {
            TimeZone.setDefault(zone);
        }
        Path unpacked = Files.createDirectories(dir.resolve("unpacked"));
        assertEquals(Set.of("main.py"), SafeZip.extract(new ByteArrayInputStream(zip), unpacked, ZipLimits.DEFAULT));
        assertArrayEquals(source, Files.readAllBytes(unpacked.resolve("main.py")));
    }
}
