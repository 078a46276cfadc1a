package dev.hearth.poolmanager.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {

    @TempDir
    Path dir;

    @Test
    void linkInto_mirrorsTheTreeWithHardLinks() throws Exception {
        Path code = Files.createDirectories(dir.resolve("src/pkg"));
        Files.writeString(dir.resolve("src/main.py"), "x");
        Files.writeString(code.resolve("m.py"), "y");
        FileTrees.linkInto(dir.resolve("src"), dir.resolve("slot/code"));

        assertEquals("y", Files.readString(dir.resolve("slot/code/pkg/m.py")));
        assertTrue(Files.isSameFile(dir.resolve("src/main.py"), dir.resolve("slot/code/main.py")));
    }

    @Test
    void deleteTree_deletesALinkInTheTree_notWhatItPointsAt() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("keep.txt"), "host file");
        Path sub = Files.createDirectories(dir.resolve("tree/sub"));
        Files.createSymbolicLink(sub.resolve("escape"), outside);

        FileTrees.deleteTree(dir.resolve("tree"));

        assertFalse(Files.exists(dir.resolve("tree"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("host file", Files.readString(outside.resolve("keep.txt")));
        FileTrees.deleteTree(dir.resolve("tree")); // already gone: fine
    }

    @Test
    void diskBytes_countsWholeBlocks_andDoesNotFollowALink() throws Exception {
        Path big = Files.createDirectories(dir.resolve("big"));
        Files.write(big.resolve("data"), new byte[100_000]);
        Path tree = Files.createDirectories(dir.resolve("tree"));
        Files.writeString(tree.resolve("one"), "1");
        Files.createSymbolicLink(tree.resolve("link"), big);

        // The folder, the one-byte file and the link itself: one block each.
        assertEquals(3 * 4096, FileTrees.diskBytes(tree));
    }
}
