package dev.hearth.controlplane.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code HEARTH_DATA} holds every tenant's state (the store with their env secrets and token
 * hashes, build outputs, code, container folders), so only this process's user may enter it.
 * Containers still get their folders under it: dockerd (root) bind-mounts them, and a bind mount
 * is reached inside the container without walking the host folders above it.
 */
public final class DataFolder {

    private static final Logger log = LoggerFactory.getLogger(DataFolder.class);
    private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private DataFolder() {}

    /** Creates {@code dir} with mode 0700, or tightens it to 0700 if it exists with more; returns it. */
    public static Path ownerOnlyFolder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            if (dir.getParent() != null) {
                Files.createDirectories(dir.getParent());
            }
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(FOLDER));
            } catch (FileAlreadyExistsException raced) {
                // Another process sharing the folder (a second control plane or node) made it first.
                if (!Files.isDirectory(dir)) {
                    throw raced;
                }
            }
        }
        restrict(dir, FOLDER);
        return dir;
    }

    /** Tightens an existing file to mode 0600. */
    public static void ownerOnlyFile(Path file) throws IOException {
        restrict(file, FILE);
    }

    private static void restrict(Path path, Set<PosixFilePermission> wanted) throws IOException {
        // The folder is the operator's, not a tenant's: following a link they made is intended.
        Set<PosixFilePermission> actual = Files.getPosixFilePermissions(path, new LinkOption[0]);
        if (!actual.equals(wanted)) {
            // Also when the umask stripped less (or more) from the mode asked at creation.
            Files.setPosixFilePermissions(path, wanted);
            log.info("tightened {} from {} to {}", path, PosixFilePermissions.toString(actual), PosixFilePermissions.toString(wanted));
        }
    }
}
