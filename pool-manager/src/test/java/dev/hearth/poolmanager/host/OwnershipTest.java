package dev.hearth.poolmanager.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.security.auth.module.UnixSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnershipTest {

    private static final int SOMEONE = 4_242_424;

    @TempDir
    Path dir;

    @Test
    void toContainerUser_givesTheLinkItself_neverTheHostFileItPointsTo() throws Exception {
        assertEquals(0, new UnixSystem().getUid(), "changing a file's owner to another uid needs root, as ./hearth test runs");
        Path hostFile = Files.writeString(dir.resolve("host-file"), "the host's");
        int ownerBefore = uid(hostFile);
        Path link = Files.createSymbolicLink(dir.resolve("planted"), hostFile);

        Ownership.toContainerUser(link, SOMEONE);

        assertEquals(SOMEONE, uid(link));
        assertEquals(SOMEONE, (Integer) Files.getAttribute(link, "unix:gid", LinkOption.NOFOLLOW_LINKS));
        assertEquals(ownerBefore, uid(hostFile));
    }

    @Test
    void set_changesUidAndGidApart() throws Exception {
        assertEquals(0, new UnixSystem().getUid(), "changing a file's owner to another uid needs root, as ./hearth test runs");
        Path file = Files.writeString(dir.resolve("f"), "x");

        Ownership.set(file, SOMEONE, SOMEONE + 1);

        assertEquals(SOMEONE, uid(file));
        assertEquals(SOMEONE + 1, (Integer) Files.getAttribute(file, "unix:gid", LinkOption.NOFOLLOW_LINKS));
    }

    private static int uid(Path path) throws Exception {
        return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }
}
