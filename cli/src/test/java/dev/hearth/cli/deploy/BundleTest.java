package dev.hearth.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.cli.CliException;
import dev.hearth.cli.ExitCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    private static Map<String, String> entries(byte[] zip) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                entries.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return entries;
    }

    private Bundle bundle() {
        return Bundle.of(new Project(dir, "python", "main.handler", false));
    }

    @Test
    void folder_isZippedSorted_withToolFoldersLeftOut() throws IOException {
        write("main.py", "m");
        write("pkg/b.py", "b");
        write("pkg/a.py", "a");
        write(".git/HEAD", "ref");
        write("node_modules/x/index.js", "x");
        write("target/classes/X.class", "x");
        write("pkg/__pycache__/a.cpython-313.pyc", "x");
        write(".hearth/state", "x");
        Bundle bundle = bundle();
        assertEquals(List.of("main.py", "pkg/a.py", "pkg/b.py"), new ArrayList<>(entries(bundle.zip()).keySet()));
        assertEquals("a", entries(bundle.zip()).get("pkg/a.py"));
        assertEquals(3, bundle.entries());
    }

    @Test
    void sameContent_sameBytes_whateverTheFileTimes() throws IOException {
        Path main = write("main.py", "def handler(e, c):\n    return 1\n");
        write("lib/util.py", "x = 1\n");
        Bundle first = bundle();
        Files.setLastModifiedTime(main, FileTime.from(Instant.parse("2001-02-03T04:05:06Z")));
        Bundle second = bundle();
        assertArrayEquals(first.zip(), second.zip());
        assertEquals(first.sha256(), second.sha256());
        assertEquals(64, first.sha256().length());
        Files.writeString(main, "def handler(e, c):\n    return 2\n");
        assertNotEquals(first.sha256(), bundle().sha256());
    }

    @Test
    void symbolicLinks_areLeftOut_withANote_neverFollowed() throws IOException {
        write("main.py", "m");
        Path outside = Files.createTempFile("secret", ".txt");
        try {
            Files.writeString(outside, "the host's secret");
            Files.createSymbolicLink(dir.resolve("secret.txt"), outside);
            Path outsideDir = Files.createTempDirectory("outside");
            Files.writeString(outsideDir.resolve("x.py"), "x");
            Files.createSymbolicLink(dir.resolve("linked"), outsideDir);
            Bundle bundle = bundle();
            Map<String, String> entries = entries(bundle.zip());
            assertEquals(List.of("main.py"), new ArrayList<>(entries.keySet()));
            assertEquals(2, bundle.notes().size(), bundle.notes()::toString);
            assertTrue(bundle.notes().stream().allMatch(n -> n.contains("symbolic link")), bundle.notes()::toString);
        } finally {
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void specialFiles_areLeftOut() throws Exception {
        write("main.py", "m");
        Process mkfifo = new ProcessBuilder("mkfifo", dir.resolve("pipe").toString()).start();
        assertEquals(0, mkfifo.waitFor());
        Bundle bundle = bundle();
        assertEquals(List.of("main.py"), new ArrayList<>(entries(bundle.zip()).keySet()));
        assertTrue(bundle.notes().get(0).contains("pipe") && bundle.notes().get(0).contains("not a regular file"));
    }

    @Test
    void singleFile_isOneEntryByItsName() throws IOException {
        Path file = write("sub/echo.py", "e");
        Bundle bundle = Bundle.of(new Project(file, "python", "echo.handler", false));
        assertEquals(Map.of("echo.py", "e"), entries(bundle.zip()));
    }

    @Test
    void namesTheServerRefuses_areRefusedHere() {
        for (String bad : List.of("a\\b.py", "tab\there.py", "../up.py", "a/../b", "/abs", "x/" + "n".repeat(256))) {
            CliException e = assertThrows(CliException.class, () -> Bundle.checkedName(bad), bad);
            assertEquals(ExitCode.USAGE, e.exitCode());
            assertTrue(e.getMessage().startsWith("cannot bundle '"), e.getMessage());
        }
        assertThrows(CliException.class, () -> Bundle.checkedName(("d".repeat(200) + "/").repeat(6) + "f"));
        assertThrows(CliException.class, () -> Bundle.checkedName("d/".repeat(129) + "f"));
        assertEquals("ok/name-1_.py", Bundle.checkedName("ok/name-1_.py"));
    }

    @Test
    void aFileNameWithABackslash_isRefusedBeforeAnythingIsSent() throws IOException {
        write("main.py", "m");
        write("odd\\name.py", "x");
        CliException e = assertThrows(CliException.class, this::bundle);
        assertTrue(e.getMessage().contains("backslash"), e.getMessage());
    }

    @Test
    void limits_entries_unpackedAndZipSize() throws IOException {
        write("a.txt", "a".repeat(1000));
        write("b.txt", "b");
        write("c.txt", "c");
        CliException entries = assertThrows(CliException.class, () -> Bundle.of(dir, new Bundle.Limits(1 << 20, 1 << 20, 2)));
        assertTrue(entries.getMessage().contains("more than 2 files"), entries.getMessage());
        CliException unpacked = assertThrows(CliException.class, () -> Bundle.of(dir, new Bundle.Limits(1 << 20, 1000, 10)));
        assertTrue(unpacked.getMessage().contains("unpacked"), unpacked.getMessage());
        byte[] random = new byte[5000];
        new java.util.Random(1).nextBytes(random);
        Files.write(dir.resolve("random.bin"), random);
        CliException zip = assertThrows(CliException.class, () -> Bundle.of(dir, new Bundle.Limits(4000, 1 << 20, 10)));
        assertTrue(zip.getMessage().contains("the zip of"), zip.getMessage());
        assertEquals(4, Bundle.of(dir, new Bundle.Limits(1 << 20, 1 << 20, 10)).entries());
    }

    @Test
    void emptyFolder_isAUsageError() {
        CliException e = assertThrows(CliException.class, this::bundle);
        assertTrue(e.getMessage().startsWith("nothing to deploy"), e.getMessage());
    }
}
