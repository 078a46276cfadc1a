package dev.hearth.poolmanager.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafeZipTest {

    @TempDir
    Path dir;

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void extract_writesFilesAndFolders() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("main.py", text("x = 1"));
        entries.put("pkg/", new byte[0]);
        entries.put("pkg/__init__.py", text(""));
        entries.put("pkg/deep/mod.py", text("y = 2"));
        Set<String> files = SafeZip.extract(new ByteArrayInputStream(TestZips.of(entries)), dir, ZipLimits.DEFAULT);

        assertEquals(Set.of("main.py", "pkg/__init__.py", "pkg/deep/mod.py"), files);
        assertEquals("y = 2", Files.readString(dir.resolve("pkg/deep/mod.py")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil.py", "a/../../evil.py", "/etc/passwd", "a\\..\\evil.py", "a//b.py", "./main.py"})
    void unsafeNames_areRefused_andNothingIsWritten(String name) throws Exception {
        byte[] archive = TestZips.of(Map.of(name, text("bad")));
        ArchiveException e = assertThrows(ArchiveException.class, () -> SafeZip.inspect(archive, ZipLimits.DEFAULT));
        assertFalse(e.tooLarge());
        assertThrows(ArchiveException.class, () -> SafeZip.extract(new ByteArrayInputStream(archive), dir, ZipLimits.DEFAULT));
        try (var listing = Files.list(dir.getParent())) {
            assertTrue(listing.noneMatch(p -> p.getFileName().toString().equals("evil.py")));
        }
    }

    @Test
    void bomb_isStoppedAtTheUnpackedLimit_countingRealBytes() throws Exception {
        byte[] archive = TestZips.of(Map.of("zeros", new byte[2 * 1024 * 1024]));
        assertTrue(archive.length < 16 * 1024, "the test archive really is compressed");
        ArchiveException e = assertThrows(ArchiveException.class,
                () -> SafeZip.inspect(archive, new ZipLimits(10, 1024 * 1024)));
        assertTrue(e.tooLarge());
    }

    @Test
    void tooManyEntries_areRefused() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            entries.put("f" + i, text("x"));
        }
        ArchiveException e = assertThrows(ArchiveException.class, () -> SafeZip.inspect(TestZips.of(entries), new ZipLimits(5, 1 << 20)));
        assertTrue(e.tooLarge());
    }

    @Test
    void notAZip_orEmpty_isRefused() throws Exception {
        assertThrows(ArchiveException.class, () -> SafeZip.inspect(text("plain text"), ZipLimits.DEFAULT));
        assertThrows(ArchiveException.class, () -> SafeZip.inspect(TestZips.of(Map.of()), ZipLimits.DEFAULT));
    }

    @Test
    void sameFileName_inDifferentFolders_isFine() throws Exception {
        var out = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("a.py"));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("pkg/a.py"));
            zip.closeEntry();
        }
        assertEquals(Set.of("a.py", "pkg/a.py"), SafeZip.inspect(out.toByteArray(), ZipLimits.DEFAULT));
    }

    @Test
    void checkedName_dropsTheTrailingSlashOfFolders() throws Exception {
        assertEquals("pkg", SafeZip.checkedName("pkg/"));
        assertThrows(ArchiveException.class, () -> SafeZip.checkedName(""));
        assertThrows(ArchiveException.class, () -> SafeZip.checkedName("a/\0b"));
    }

    /** Each of these unpacked "fine" at creation and then failed every call as a crashed function. */
    @ParameterizedTest
    @ValueSource(strings = {"file-then-child", "child-then-file", "file-then-folder", "folder-then-file", "long-segment",
            "deep-path", "long-path", "control-character"})
    void namesThatCannotBeMadeOnDisk_areRefusedBeforeAnythingIsWritten(String kind) throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("main.py", text("x = 1"));
        switch (kind) {
            case "file-then-child" -> { entries.put("a", text("1")); entries.put("a/b", text("2")); }
            case "child-then-file" -> { entries.put("a/b/c", text("1")); entries.put("a/b", text("2")); }
            case "file-then-folder" -> { entries.put("a", text("1")); entries.put("a/b/", new byte[0]); }
            case "folder-then-file" -> { entries.put("a/b/", new byte[0]); entries.put("a", text("1")); }
            case "long-segment" -> entries.put("pkg/" + "x".repeat(256) + ".py", text("1"));
            case "deep-path" -> entries.put("a/".repeat(2100) + "b.py", text("1"));
            case "long-path" -> entries.put(("d".repeat(200) + "/").repeat(6) + "b.py", text("1"));
            case "control-character" -> entries.put("pkg/new\nline.py", text("1"));
            default -> throw new IllegalArgumentException(kind);
        }
        byte[] zip = TestZips.of(entries);
        ArchiveException refused = assertThrows(ArchiveException.class, () -> SafeZip.inspect(zip, ZipLimits.DEFAULT));
        assertFalse(refused.tooLarge());
        assertTrue(refused.getMessage().length() < 300, refused::getMessage);
        Path target = Files.createDirectory(dir.resolve(kind));
        assertThrows(ArchiveException.class, () -> SafeZip.extract(new ByteArrayInputStream(zip), target, ZipLimits.DEFAULT));
    }

    @Test
    void namesAtTheLimits_areTaken() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("x".repeat(ZipLimits.MAX_SEGMENT_BYTES), text("1"));
        entries.put("é".repeat(ZipLimits.MAX_SEGMENT_BYTES / 2) + "/a.py", text("2"));
        entries.put("a/".repeat(ZipLimits.MAX_DEPTH - 1) + "b.py", text("3"));
        entries.put("pkg/", new byte[0]);
        entries.put("pkg/mod.py", text("4"));
        Set<String> files = SafeZip.extract(new ByteArrayInputStream(TestZips.of(entries)), dir, ZipLimits.DEFAULT);
        assertEquals(4, files.size());
    }
}
