package dev.hearth.poolmanager.code;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Folder trees of tenant code on this node's disk. A tenant's tree may hold links to anywhere:
 * nothing here follows one (a link is measured, mirrored or deleted as itself, never its target).
 */
public final class FileTrees {

    /** Files and folders are counted in whole blocks, so many tiny files cost what they take on disk. */
    private static final long BLOCK = 4096;

    private FileTrees() {}

    /** What a tree takes on disk, in whole blocks, never following a link. */
    static long diskBytes(Path dir) throws IOException {
        long[] total = {0};
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                total[0] += BLOCK;
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                total[0] += (attrs.size() + BLOCK - 1) / BLOCK * BLOCK + (attrs.size() == 0 ? BLOCK : 0);
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }

    /** Mirrors {@code code} into {@code target} (which must not exist) with hard links. */
    public static void linkInto(Path code, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(code)) {
            for (Path from : (Iterable<Path>) paths::iterator) {
                Path to = target.resolve(code.relativize(from).toString());
                if (Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(to);
                } else {
                    try {
                        Files.createLink(to, from);
                    } catch (FileAlreadyExistsException e) {
                        throw e;
                    } catch (IOException | UnsupportedOperationException e) {
                        // Across devices a hard link cannot be made.
                        Files.copy(from, to);
                    }
                }
            }
        }
    }

    /** Deletes a folder tree, never following a link in it (a link is deleted, not its target); a path already gone is fine. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
