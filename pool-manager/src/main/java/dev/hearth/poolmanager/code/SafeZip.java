package dev.hearth.poolmanager.code;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Reads user-supplied zip archives defensively: entry names that are absolute, climb out with
 * {@code ..}, use backslashes or control characters, repeat, or could not be made on disk (a
 * name over 255 bytes, a path too long or too deep, a file that another entry uses as a folder)
 * are refused, and inflated bytes are counted as they stream so neither entry count nor total
 * size can exceed {@link ZipLimits}. Only regular files and folders are ever written; there is no
 * way to make a link. What is refused here would otherwise fail every time the code is loaded.
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
        Set<String> folders = new HashSet<>();
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
                checkTree(name, entry.isDirectory(), files, folders);
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

    /**
     * Refuses a file that sits where another entry has a folder, or a folder where one has a file
     * ({@code a} and {@code a/b}): one of the two could never be written. {@code folders} collects
     * every folder named or implied so far.
     */
    private static void checkTree(String name, boolean directory, Set<String> files, Set<String> folders)
            throws ArchiveException {
        for (int slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) {
            String parent = name.substring(0, slash);
            if (files.contains(parent)) {
                throw new ArchiveException("archive holds '" + parent + "' as a file and as a folder (for '" + name + "')", false);
            }
            folders.add(parent);
        }
        if (!directory && folders.contains(name)) {
            throw new ArchiveException("archive holds '" + name + "' as a file and as a folder", false);
        }
        if (directory) {
            folders.add(name);
        }
    }

    /** A relative path of plain segments, without a trailing slash, that every file system here can hold. */
    static String checkedName(String raw) throws ArchiveException {
        if (raw.isEmpty() || raw.indexOf('\\') >= 0 || raw.startsWith("/") || raw.chars().anyMatch(SafeZip::isControl)) {
            throw new ArchiveException("unsafe entry name in archive: '" + printable(raw) + "'", false);
        }
        String name = raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
        if (name.getBytes(StandardCharsets.UTF_8).length > ZipLimits.MAX_PATH_BYTES) {
            throw new ArchiveException("archive entry path is longer than " + ZipLimits.MAX_PATH_BYTES + " bytes: '"
                    + printable(name.substring(0, 60)) + "...'", false);
        }
        String[] segments = name.split("/", -1);
        if (segments.length > ZipLimits.MAX_DEPTH) {
            throw new ArchiveException("archive entry is nested more than " + ZipLimits.MAX_DEPTH + " folders deep: '"
                    + printable(name.substring(0, Math.min(60, name.length()))) + "...'", false);
        }
        for (String segment : segments) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new ArchiveException("unsafe entry name in archive: '" + printable(raw) + "'", false);
            }
            if (segment.getBytes(StandardCharsets.UTF_8).length > ZipLimits.MAX_SEGMENT_BYTES) {
                throw new ArchiveException("archive entry has a file or folder name longer than "
                        + ZipLimits.MAX_SEGMENT_BYTES + " bytes: '" + printable(segment.substring(0, 60)) + "...'", false);
            }
        }
        return name;
    }

    private static boolean isControl(int c) {
        return c < 0x20 || c == 0x7f;
    }

    /** The name as it may be shown: control characters as {@code ?}. */
    private static String printable(String name) {
        return name.chars().map(c -> isControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
