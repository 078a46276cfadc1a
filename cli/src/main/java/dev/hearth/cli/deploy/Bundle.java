package dev.hearth.cli.deploy;

import dev.hearth.cli.CliException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A project's code as the zip Hearth takes, built with the server's archive rules checked here
 * first (README "Creating a function"), so a refusal names the file at fault before anything is
 * sent. Deterministic: entries sorted by path, one fixed timestamp, no extra fields, so the same
 * folder always gives the same bytes and the same {@link #sha256()}.
 *
 * <p>Links are never followed: a symbolic link (to a file or a folder) is left out with a note,
 * and so are fifos, sockets and devices. Folders that hold tool state or build output
 * ({@code .git}, {@code node_modules}, {@code target}, {@code __pycache__}, {@code .hearth}) are
 * skipped: the server builds from the sources.
 */
public final class Bundle {

    /** Folder names never bundled, wherever they are in the tree. */
    static final Set<String> SKIPPED = Set.of(".git", "node_modules", "target", "__pycache__", ".hearth");
    /** All entries carry this time (the earliest a zip's DOS time can hold), so bytes depend on content only. */
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    /** The server's bounds on an archive (its defaults; a server may be set lower or higher). */
    record Limits(long maxZipBytes, long maxUnpackedBytes, int maxEntries) {
        static final Limits SERVER = new Limits(50L * 1024 * 1024, 250L * 1024 * 1024, 10_000);
        static final int MAX_SEGMENT_BYTES = 255;
        static final int MAX_PATH_BYTES = 1024;
        static final int MAX_DEPTH = 128;
    }

    private final byte[] zip;
    private final String sha256;
    private final int entries;
    private final List<String> notes;

    private Bundle(byte[] zip, int entries, List<String> notes) {
        this.zip = zip;
        this.sha256 = sha256(zip);
        this.entries = entries;
        this.notes = List.copyOf(notes);
    }

    /** The project's code as a zip: its folder's files, or its one source file. */
    public static Bundle of(Project project) {
        return of(project.root(), Limits.SERVER);
    }

    static Bundle of(Path root, Limits limits) {
        List<String> notes = new ArrayList<>();
        TreeMap<String, Path> files = new TreeMap<>();
        if (Files.isRegularFile(root, LinkOption.NOFOLLOW_LINKS)) {
            files.put(checkedName(root.getFileName().toString()), root);
        } else {
            collect(root, files, notes, limits);
        }
        if (files.isEmpty()) {
            throw CliException.usage("nothing to deploy in " + root + ": no files (links, special files and "
                    + String.join(", ", new java.util.TreeSet<>(SKIPPED)) + " are left out)");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long unpacked = 0;
        try (ZipOutputStream zip = new ZipOutputStream(new Bounded(bytes, limits.maxZipBytes()))) {
            byte[] buffer = new byte[64 * 1024];
            for (var file : files.entrySet()) {
                ZipEntry entry = new ZipEntry(file.getKey());
                entry.setTimeLocal(FIXED_TIME);
                zip.putNextEntry(entry);
                // Opened without following a link: a file swapped for one since the walk is refused.
                try (InputStream in = Files.newInputStream(file.getValue(), LinkOption.NOFOLLOW_LINKS)) {
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        unpacked += n;
                        if (unpacked > limits.maxUnpackedBytes()) {
                            throw CliException.usage("the code in " + root + " is over " + mib(limits.maxUnpackedBytes())
                                    + " unpacked, Hearth's limit");
                        }
                        zip.write(buffer, 0, n);
                    }
                }
                zip.closeEntry();
            }
        } catch (Bounded.TooLarge e) {
            throw CliException.usage("the zip of " + root + " is over " + mib(limits.maxZipBytes()) + ", Hearth's limit");
        } catch (IOException e) {
            throw CliException.usage("cannot read " + root + ": " + e.getMessage());
        }
        return new Bundle(bytes.toByteArray(), files.size(), notes);
    }

    public byte[] zip() {
        return zip.clone();
    }

    /** The zip's SHA-256, lower-case hex. */
    public String sha256() {
        return sha256;
    }

    public int entries() {
        return entries;
    }

    /** What was left out and why (links, special files), one line each, for the user. */
    public List<String> notes() {
        return notes;
    }

    /** Is a folder of this name left out of every bundle? */
    public static boolean skipsFolder(String name) {
        return SKIPPED.contains(name);
    }

    private static void collect(Path root, TreeMap<String, Path> files, List<String> notes, Limits limits) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(root) && skipsFolder(dir.getFileName().toString())) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String name = relative(root, file);
                    if (attrs.isSymbolicLink()) {
                        notes.add("left out " + name + ": a symbolic link (links are never followed)");
                    } else if (!attrs.isRegularFile()) {
                        notes.add("left out " + name + ": not a regular file");
                    } else {
                        files.put(checkedName(name), file);
                        if (files.size() > limits.maxEntries()) {
                            throw CliException.usage(root + " has more than " + limits.maxEntries() + " files, Hearth's limit");
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    throw CliException.usage("cannot read " + relative(root, file) + " in " + root + ": " + e.getMessage());
                }
            });
        } catch (IOException e) {
            throw CliException.usage("cannot read " + root + ": " + e.getMessage());
        }
    }

    private static String relative(Path root, Path file) {
        StringBuilder name = new StringBuilder();
        for (Path part : root.relativize(file)) {
            if (!name.isEmpty()) {
                name.append('/');
            }
            name.append(part);
        }
        return name.toString();
    }

    /** An entry name the server would take: no backslash or control character, names and depth in bounds. */
    static String checkedName(String name) {
        if (name.isEmpty() || name.startsWith("/") || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) {
            throw CliException.usage("cannot bundle '" + printable(name) + "': Hearth refuses names with a backslash or a control character");
        }
        String[] segments = name.split("/");
        for (String segment : segments) {
            if (segment.equals("..") || segment.equals(".")) {
                throw CliException.usage("cannot bundle '" + printable(name) + "': it climbs out of the folder");
            }
            if (segment.getBytes(StandardCharsets.UTF_8).length > Limits.MAX_SEGMENT_BYTES) {
                throw CliException.usage("cannot bundle '" + printable(name) + "': a name over " + Limits.MAX_SEGMENT_BYTES + " bytes");
            }
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > Limits.MAX_PATH_BYTES) {
            throw CliException.usage("cannot bundle '" + printable(name) + "': a path over " + Limits.MAX_PATH_BYTES + " bytes");
        }
        if (segments.length - 1 > Limits.MAX_DEPTH) {
            throw CliException.usage("cannot bundle '" + printable(name) + "': more than " + Limits.MAX_DEPTH + " folders deep");
        }
        return name;
    }

    private static String printable(String name) {
        StringBuilder out = new StringBuilder();
        name.codePoints().limit(200).forEach(c -> out.append(c < 0x20 || c == 0x7f ? "?" : Character.toString(c)));
        return out.toString();
    }

    private static String mib(long bytes) {
        return bytes / (1024 * 1024) + " MiB";
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops the zip as soon as it passes the limit, rather than after compressing all of it. */
    private static final class Bounded extends OutputStream {
        static final class TooLarge extends IOException {
            TooLarge() {
                super("too large", null);
            }
        }

        private final OutputStream out;
        private final long limit;
        private long written;

        Bounded(OutputStream out, long limit) {
            this.out = out;
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            written += len;
            if (written > limit) {
                throw new TooLarge();
            }
            out.write(b, off, len);
        }
    }
}
