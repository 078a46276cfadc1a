package dev.hearth.poolmanager.code;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Packs a folder into a zip: entries sorted, times zeroed, so the same files give the same bytes. */
public final class Zips {

    private Zips() {}

    /** Refuses, as an {@link ArchiveException} marked too large, a folder holding more than the limits allow. */
    public static byte[] zipTree(Path root, ZipLimits limits) throws IOException, ArchiveException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        if (files.size() > limits.maxEntries()) {
            throw new ArchiveException("more than " + limits.maxEntries() + " files", true);
        }
        long total = 0;
        var bytes = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(bytes)) {
            for (Path file : files) {
                total += Files.size(file);
                if (total > limits.maxUnpackedBytes()) {
                    throw new ArchiveException("more than " + limits.maxUnpackedBytes() / (1024 * 1024) + " MiB of files", true);
                }
                ZipEntry entry = new ZipEntry(root.relativize(file).toString().replace('\\', '/'));
                entry.setTime(0);
                zip.putNextEntry(entry);
                Files.copy(file, (OutputStream) zip);
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
