package dev.hearth.poolmanager.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.security.auth.module.UnixSystem;
import dev.hearth.poolmanager.fakes.FakeTicker;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks a container's folder goes through; here the "container" is this process's own uid. */
class ContainerFoldersTest {

    private static final int SELF = (int) new UnixSystem().getUid();

    @TempDir
    Path root;

    private ContainerFolders folders() {
        return new ContainerFolders(root, SELF, 0, System::nanoTime);
    }

    @Test
    void awaitSocket_locksTheFolder_andAcceptsTheContainersOwnSocket() throws Exception {
        Path dir = folders().create("a", false);
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(dir.resolve("agent.sock")));
            Path socket = folders().awaitSocket(dir, Duration.ofSeconds(1));
            assertEquals(dir.resolve("agent.sock"), socket);
            assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        }
    }

    @Test
    void awaitSocket_refusesALink_evenToARealSocket(@TempDir Path elsewhere) throws Exception {
        Path dir = folders().create("b", false);
        try (var decoy = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            decoy.bind(UnixDomainSocketAddress.of(elsewhere.resolve("decoy.sock")));
            Files.createSymbolicLink(dir.resolve("agent.sock"), elsewhere.resolve("decoy.sock"));
            IOException refused = assertThrows(IOException.class, () -> folders().awaitSocket(dir, Duration.ofSeconds(1)));
            assertTrue(refused.getMessage().contains("not a socket the container created"), refused.getMessage());
        }
    }

    @Test
    void awaitSocket_refusesAFileOrASocketOfAnotherUid() throws Exception {
        Path dir = folders().create("c", false);
        Files.writeString(dir.resolve("agent.sock"), "not a socket");
        assertThrows(IOException.class, () -> folders().awaitSocket(dir, Duration.ofSeconds(1)));

        var otherUid = new ContainerFolders(root, SELF + 1, 0, System::nanoTime);
        Path other = otherUid.create("d", false);
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(other.resolve("agent.sock")));
            assertThrows(IOException.class, () -> otherUid.awaitSocket(other, Duration.ofSeconds(1)));
        }
    }

    @Test
    void awaitSocket_timesOut_whenNothingAppearsByTheDeadline() throws Exception {
        // Each look at the clock is a second later: the wait is over at its first check.
        var folders = new ContainerFolders(root, SELF, 0, FakeTicker.advancingBy(Duration.ofSeconds(1)));
        Path dir = folders.create("e", false);
        TimeoutException late = assertThrows(TimeoutException.class, () -> folders.awaitSocket(dir, Duration.ofMillis(500)));
        assertTrue(late.getMessage().contains("/run/hearth/agent.sock"), late.getMessage());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)), "not locked: nothing was there");
    }

    @Test
    void delete_neverFollowsALinkOutOfTheFolder(@TempDir Path elsewhere) throws Exception {
        Path kept = Files.writeString(elsewhere.resolve("kept"), "host file");
        Path dir = folders().create("f", false);
        Files.createSymbolicLink(dir.resolve("link"), elsewhere);
        Files.createSymbolicLink(dir.resolve("file-link"), kept);
        folders().delete(dir, false);
        assertFalse(Files.exists(dir, LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(kept));
    }
}
