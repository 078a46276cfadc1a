package dev.hearth.poolmanager.code;

import dev.hearth.poolmanager.CodeSource;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Unpacked code archives on this node's disk, one folder per content digest. An archive is
 * fetched and unpacked once, checked against its digest, and published by an atomic rename,
 * so a folder that exists is always complete and survives restarts. Containers receive code
 * as hard links into their own mounted folder ({@link #linkInto}), a copy only across devices.
 */
public final class CodeCache {

    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");

    private final Path root;
    private final CodeSource source;
    private final ZipLimits limits;
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

    public CodeCache(Path root, CodeSource source, ZipLimits limits) throws IOException {
        this.root = Files.createDirectories(root);
        this.source = source;
        this.limits = limits;
    }

    /** The folder holding the unpacked archive of {@code digest}, fetching it on first use. */
    public Path materialize(String digest) throws IOException, ArchiveException {
        if (!DIGEST.matcher(digest).matches()) {
            throw new IllegalArgumentException("not a SHA-256 hex digest: " + digest);
        }
        Path dir = root.resolve(digest);
        if (Files.isDirectory(dir)) {
            return dir;
        }
        // One fetch per digest at a time; other digests proceed in parallel.
        synchronized (locks.computeIfAbsent(digest, d -> new Object())) {
            try {
                if (!Files.isDirectory(dir)) {
                    unpack(digest, dir);
                }
                return dir;
            } finally {
                locks.remove(digest);
            }
        }
    }

    private void unpack(String digest, Path dir) throws IOException, ArchiveException {
        Path staging = Files.createDirectories(root.resolve(".staging-" + UUID.randomUUID()));
        try {
            MessageDigest sha256 = Digests.sha256();
            try (InputStream in = new DigestInputStream(source.open(digest), sha256)) {
                // The zip reader closes what it reads; the rest (the central directory) still counts for the digest.
                SafeZip.extract(new FilterInputStream(in) {
                    @Override
                    public void close() {}
                }, staging, limits);
                in.transferTo(OutputStream.nullOutputStream());
            }
            String actual = HexFormat.of().formatHex(sha256.digest());
            if (!actual.equals(digest)) {
                throw new IOException("code archive digest mismatch: expected " + digest + ", got " + actual);
            }
            Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            if (Files.exists(staging)) {
                deleteTree(staging);
            }
        }
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
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
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
