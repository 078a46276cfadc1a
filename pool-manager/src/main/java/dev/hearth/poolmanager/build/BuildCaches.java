package dev.hearth.poolmanager.build;

import dev.hearth.poolmanager.code.FileTrees;
import dev.hearth.poolmanager.support.Digests;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each owner's Maven, npm and pip caches, kept between that owner's builds. A build runs its
 * owner's scripts, which may write anything into the caches they see, so a build never sees
 * another owner's caches, and never the kept ones themselves: it gets a copy in its own capped
 * workspace, and once its container is gone that copy becomes the owner's kept cache. Both
 * copies take only folders and regular files, never following a link, so what is kept is at
 * most what the workspace could hold.
 */
final class BuildCaches {

    private static final Logger log = LoggerFactory.getLogger(BuildCaches.class);
    /** The caches, as folders under {@code /cache} in the builder. */
    static final List<String> KINDS = List.of("m2", "npm", "pip");
    private static final String PARTIAL = ".";

    private final Path root;

    BuildCaches(Path root) throws IOException {
        this.root = Files.createDirectories(root);
        // Copies a stopped process was making or replacing; kept caches never start with a dot.
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(this.root, PARTIAL + "*")) {
            for (Path partial : entries) {
                FileTrees.deleteTree(partial);
            }
        }
    }

    /** Copies the owner's kept caches into {@code into}, which gets one folder per kind (empty when none was kept). */
    void seed(String owner, Path into) throws IOException {
        Path kept = keptOf(owner);
        try {
            if (Files.isDirectory(kept, LinkOption.NOFOLLOW_LINKS)) {
                copy(kept, into);
            }
        } catch (IOException e) {
            // Larger than this build's workspace (its size was lowered): the build starts afresh.
            log.info("not seeding a build with its owner's caches: {}", e.getMessage());
            FileTrees.deleteTree(into);
        }
        for (String kind : KINDS) {
            Files.createDirectories(into.resolve(kind));
        }
    }

    /** Keeps {@code from}, the caches of a build whose container is gone, as the owner's. */
    void keep(String owner, Path from) throws IOException {
        Path kept = keptOf(owner);
        Path fresh = root.resolve(PARTIAL + "new-" + UUID.randomUUID());
        Path old = root.resolve(PARTIAL + "old-" + UUID.randomUUID());
        try {
            copy(from, fresh);
            if (Files.exists(kept, LinkOption.NOFOLLOW_LINKS)) {
                Files.move(kept, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(fresh, kept, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            FileTrees.deleteTree(fresh);
            FileTrees.deleteTree(old);
        }
    }

    /** A digest names the folder: no owner name can reach outside the root. */
    private Path keptOf(String owner) {
        return root.resolve(Digests.sha256Hex(owner).substring(0, 32));
    }

    /** Copies folders and regular files; links, fifos, sockets and devices are left behind unopened. */
    static void copy(Path from, Path to) throws IOException {
        Files.walkFileTree(from, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (attributes.isRegularFile()) {
                    Files.copy(file, to.resolve(from.relativize(file).toString()), LinkOption.NOFOLLOW_LINKS);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
