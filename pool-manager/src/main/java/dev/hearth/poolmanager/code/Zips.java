package dev.hearth.poolmanager.code;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Deterministic zips, so the same code always has the same digest: a folder that tenant code
 * wrote (a build's output), or one uploaded source file. Entries are sorted and their times
 * zeroed. Nothing in a folder is trusted: links are
 * never followed (a symbolic link is left out, not its target read), and devices, fifos and
 * sockets are left out unopened, so the zip holds only regular files that are inside the folder.
 * Call it only once every process that could change the folder has ended (the builder container
 * is gone): the attributes read while walking then still describe what is opened.
 */
public final class Zips {

    private Zips() {}

    /** The zip, and what was left out of it, one line per path with the reason. */
    public record Packed(byte[] zip, List<String> leftOut) {
        public Packed {
            leftOut = List.copyOf(leftOut);
        }
    }

    private record Entry(String name, Path file, long size) {}

    /** A zip holding one file: a function given as one source file. */
    public static byte[] single(String name, byte[] content) {
        var bytes = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(entry(name));
            zip.write(content);
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** An entry whose bytes do not depend on when, or in which time zone, it was written. */
    private static ZipEntry entry(String name) {
        ZipEntry entry = new ZipEntry(name);
        entry.setTime(0);
        return entry;
    }

    /** Refuses, as an {@link ArchiveException} marked too large, a folder holding more than the limits allow. */
    public static Packed zipTree(Path root, ZipLimits limits) throws IOException, ArchiveException {
        List<Entry> files = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        long[] total = {0};
        ArchiveException[] tooLarge = {null};
        Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                // Without FOLLOW_LINKS the attributes are the entry's own (lstat), links included.
                String name = root.relativize(file).toString();
                if (attributes.isSymbolicLink()) {
                    leftOut.add(name + ": a symbolic link");
                } else if (!attributes.isRegularFile()) {
                    leftOut.add(name + ": not a regular file");
                } else if (!acceptable(name)) {
                    leftOut.add(name + ": a name that code archives cannot hold");
                } else if (files.size() >= limits.maxEntries()) {
                    tooLarge[0] = new ArchiveException("more than " + limits.maxEntries() + " files", true);
                    return FileVisitResult.TERMINATE;
                } else if ((total[0] += attributes.size()) > limits.maxUnpackedBytes()) {
                    tooLarge[0] = new ArchiveException("more than " + limits.maxUnpackedBytes() / (1024 * 1024) + " MiB of files", true);
                    return FileVisitResult.TERMINATE;
                } else {
                    files.add(new Entry(name, file, attributes.size()));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        if (tooLarge[0] != null) {
            throw tooLarge[0];
        }
        files.sort(Comparator.comparing(Entry::name));
        var bytes = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(bytes)) {
            for (Entry file : files) {
                zip.putNextEntry(entry(file.name()));
                // O_NOFOLLOW: even a link that replaced the file since the walk is not followed.
                try (InputStream in = Files.newInputStream(file.file(), LinkOption.NOFOLLOW_LINKS)) {
                    long copied = in.transferTo(zip);
                    if (copied != file.size()) {
                        throw new IOException(file.name() + " changed while it was packed");
                    }
                }
                zip.closeEntry();
            }
        }
        return new Packed(bytes.toByteArray(), leftOut);
    }

    private static boolean acceptable(String name) {
        try {
            SafeZip.checkedName(name);
            return true;
        } catch (ArchiveException e) {
            return false;
        }
    }
}
