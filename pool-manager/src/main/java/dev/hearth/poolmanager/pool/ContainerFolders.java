package dev.hearth.poolmanager.pool;

import com.sun.security.auth.module.UnixSystem;
import dev.hearth.poolmanager.code.FileTrees;
import dev.hearth.poolmanager.docker.ContainerSpec;
import dev.hearth.poolmanager.host.Ownership;
import dev.hearth.poolmanager.host.Tmpfs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * The host folders mounted at {@code /run/hearth} in this node's containers, and the one rule
 * that makes them safe: the host never trusts what a container put there. A folder belongs to
 * the container's uid only until the agent's socket appears (for a runtime container, before any
 * function code has run); it is then locked (owned by this process, mode 0755), so the container
 * can neither write there nor rename or replace the socket, and only then is the socket checked
 * (not following links: a socket the container's uid created) and connected to. Its path cannot
 * change after that, so every later connection by path reaches the same socket.
 *
 * <p>An {@code http} image's server is tenant code from its first instruction, so its folder is a
 * tmpfs of {@code imageRunDirKb} mounted here by this process: what it can write before it binds
 * its socket is capped, and unmounting discards it.
 */
final class ContainerFolders {

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final String SOCKET = "agent.sock";
    private static final UnixSystem SELF = new UnixSystem();

    private final Path root;
    private final int uid;
    private final int imageRunDirKb;
    private final LongSupplier nanos;

    /** @param nanos the time in nanoseconds ({@code System::nanoTime}), which the socket wait's deadline is measured in */
    ContainerFolders(Path root, int uid, int imageRunDirKb, LongSupplier nanos) {
        this.root = root;
        this.uid = uid;
        this.imageRunDirKb = imageRunDirKb;
        this.nanos = nanos;
    }

    /**
     * A new folder for one container, owned by the container's uid and private to it.
     *
     * @param capped a tmpfs of the image size cap rather than a plain folder
     */
    Path create(String id, boolean capped) throws IOException {
        Path dir = Files.createDirectory(root.resolve(id));
        if (capped && imageRunDirKb > 0) {
            try {
                Tmpfs.mount(dir, imageRunDirKb, uid, 256);
            } catch (IOException e) {
                Files.delete(dir);
                throw new IOException("cannot mount the capped " + ContainerSpec.MOUNT_POINT + " of an http image (mounting a tmpfs "
                        + "needs root with CAP_SYS_ADMIN; HEARTH_IMAGE_RUN_DIR_KB=0 runs such images without the cap): " + e.getMessage(), e);
            }
            return dir;
        }
        try {
            Ownership.toContainerUser(dir, uid);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException | UnsupportedOperationException e) {
            // Not root (a developer's machine): open to the container until it is locked.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        return dir;
    }

    /**
     * Waits up to {@code timeout} for the container to bind its socket, locks the folder, and
     * returns the socket's path once it is a socket the container's uid made.
     *
     * @throws TimeoutException nothing appeared at the socket's path in time
     * @throws IOException      something other than the container's own socket is there
     */
    Path awaitSocket(Path dir, Duration timeout) throws IOException, TimeoutException, InterruptedException {
        Path socket = dir.resolve(SOCKET);
        long deadline = nanos.getAsLong() + timeout.toNanos();
        long pauseMicros = 500;
        while (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            if (nanos.getAsLong() > deadline) {
                throw new TimeoutException("no socket at " + ContainerSpec.MOUNT_POINT + "/" + SOCKET + " after " + timeout.toMillis() + " ms");
            }
            TimeUnit.MICROSECONDS.sleep(pauseMicros);
            pauseMicros = Math.min(pauseMicros * 2, 20_000);
        }
        lock(dir);
        // Read after the lock: from now on the container cannot change what this name points to.
        Map<String, Object> attributes = Files.readAttributes(socket, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) attributes.get("mode");
        if ((mode & S_IFMT) != S_IFSOCK || (Integer) attributes.get("uid") != uid) {
            throw new IOException(ContainerSpec.MOUNT_POINT + "/" + SOCKET + " is not a socket the container created");
        }
        return socket;
    }

    /** From now on only this process may change the folder; the container keeps reading it. */
    private void lock(Path dir) throws IOException {
        try {
            Ownership.set(dir, (int) SELF.getUid(), (int) SELF.getGid());
        } catch (UnsupportedOperationException e) {
            throw new IOException("cannot lock a container folder on this file system", e);
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Unmounts a capped folder, then deletes the folder, never following a link. */
    void delete(Path dir, boolean capped) throws IOException {
        if (capped && imageRunDirKb > 0) {
            Tmpfs.unmount(dir);
        }
        FileTrees.deleteTree(dir);
    }

    /** Removes every folder under the root, such as those a previous run of this node left. */
    void clear() throws IOException {
        Tmpfs.unmountAllUnder(root);
        FileTrees.deleteTree(root);
        Files.createDirectories(root);
    }
}
