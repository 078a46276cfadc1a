package dev.hearth.poolmanager.code;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Reads user-supplied zip archives defensively: entry names that are absolute, climb out with
 * {@code ..}, use backslashes or repeat are refused, and inflated bytes are counted as they
 * stream so neither entry count nor total size can exceed {@link ZipLimits}. Only regular files
 * and folders are ever written; there is no way to make a link.
 */
public final class SafeZip {

    private SafeZip() {}

    /** Checks an archive without writing anything; returns the normalized names of its files. */
    public static Set<String> inspect(byte[] zip, ZipLimits limits) throws ArchiveException {
        try {
            return walk(new ByteArrayInputStream(zip), limits, null);
        } catch (IOException e) {
            throw new ArchiveException("not a readable zip archive: " + e.getMessage(), false);
        }
    }

    /** Unpacks an archive into {@code target}, which must exist and be empty. */
    public static Set<String> extract(InputStream zip, Path target, ZipLimits limits) throws ArchiveException, IOException {
        return walk(zip, limits, target);
    }

    private static Set<String> walk(InputStream in, ZipLimits limits, Path target) throws ArchiveException, IOException {
        Set<String> files = new HashSet<>();
        Set<String> seen = new HashSet<>();
        long unpacked = 0;
        byte[] buffer = new byte[64 * 1024];
        try (ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry entry;
            while ((entry = nextEntry(zip)) != null) {
                if (seen.size() >= limits.maxEntries()) {
                    throw new ArchiveException("archive has more than " + limits.maxEntries() + " entries", true);
                }
                String name = checkedName(entry.getName());
                if (!seen.add(name)) {
                    throw new ArchiveException("archive lists '" + name + "' twice", false);
                }
                Path out = target == null ? null : target.resolve(name).normalize();
                if (out != null && !out.startsWith(target)) {
                    throw new ArchiveException("entry escapes the archive root: " + entry.getName(), false);
                }
                if (entry.isDirectory()) {
                    if (out != null) {
                        Files.createDirectories(out);
                    }
                    continue;
                }
                files.add(name);
                try (OutputStream sink = out == null ? OutputStream.nullOutputStream() : open(out)) {
                    int n;
                    while ((n = zip.read(buffer)) > 0) {
                        unpacked += n;
                        if (unpacked > limits.maxUnpackedBytes()) {
                            throw new ArchiveException("archive unpacks to more than "
                                    + limits.maxUnpackedBytes() / (1024 * 1024) + " MiB", true);
                        }
                        sink.write(buffer, 0, n);
                    }
                }
            }
        } catch (ZipException e) {
            throw new ArchiveException("not a readable zip archive: " + e.getMessage(), false);
        }
        if (seen.isEmpty()) {
            throw new ArchiveException("archive is empty or not a zip", false);
        }
        return files;
    }

    private static ZipEntry nextEntry(ZipInputStream zip) throws IOException, ArchiveException {
        try {
            return zip.getNextEntry();
        } catch (IllegalArgumentException e) {
            throw new ArchiveException("archive has an unreadable entry name", false);
        }
    }

    private static OutputStream open(Path out) throws IOException {
        Files.createDirectories(out.getParent());
        return Files.newOutputStream(out);
    }

    /** A relative path of plain segments, without a trailing slash. */
    static String checkedName(String raw) throws ArchiveException {
        if (raw.isEmpty() || raw.indexOf('\\') >= 0 || raw.indexOf('\0') >= 0 || raw.startsWith("/")) {
            throw new ArchiveException("unsafe entry name in archive: '" + raw + "'", false);
        }
        String name = raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new ArchiveException("unsafe entry name in archive: '" + raw + "'", false);
            }
        }
        return name;
    }
}
