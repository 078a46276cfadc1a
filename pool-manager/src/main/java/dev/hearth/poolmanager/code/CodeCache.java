package dev.hearth.poolmanager.code;

import dev.hearth.poolmanager.support.Digests;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unpacked code archives on this node's disk, one folder per content digest. An archive is
 * fetched and unpacked once, checked against its digest, and published by an atomic rename,
 * so a folder that exists is always complete and survives restarts. Containers receive code
 * as hard links into their own mounted folder ({@link FileTrees#linkInto}), a copy only across devices.
 *
 * <p>Code does not pile up: an entry no function version on this node uses (each was retired,
 * or none was given since the node started) is deleted after the grace period, and past the
 * byte budget the least recently used entries go first, used or not (they are fetched again
 * when needed). An entry is never deleted while it is pinned: from the claim that unpacks or
 * finds it to the end of the {@link Lease} its caller links it under. A container's hard links
 * keep their files after the entry is gone. Deletion walks without following links.
 */
public final class CodeCache implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CodeCache.class);
    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");
    private static final String STAGING = ".staging-";
    private static final String TRASH = ".trash-";

    private final Path root;
    private final CodeSource source;
    private final ZipLimits limits;
    private final CodeCachePolicy policy;
    private final Clock clock;
    private final CodeLedger ledger = new CodeLedger();
    private PeriodicSweep sweeper;

    /**
     * Opens the cache at {@code root}: what an earlier run left there counts as unused since now,
     * and half-made folders of that run are deleted.
     */
    public CodeCache(Path root, CodeSource source, ZipLimits limits, CodeCacheSettings settings, Clock clock) throws IOException {
        this.root = Files.createDirectories(root);
        this.source = source;
        this.limits = limits;
        this.policy = new CodeCachePolicy(settings);
        this.clock = clock;
        scan();
    }

    private void scan() throws IOException {
        Instant now = clock.instant();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(root)) {
            for (Path path : found) {
                String name = path.getFileName().toString();
                if (name.startsWith(STAGING) || name.startsWith(TRASH)) {
                    FileTrees.deleteTree(path);
                } else if (DIGEST.matcher(name).matches() && Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    ledger.found(name, FileTrees.diskBytes(path), now);
                }
            }
        }
    }

    /** A claim on one entry's folder: the entry is not deleted until the lease is closed. */
    public final class Lease implements AutoCloseable {
        private final String digest;
        private final Path dir;
        private boolean closed;

        private Lease(String digest, Path dir) {
            this.digest = digest;
            this.dir = dir;
        }

        public Path dir() {
            return dir;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                ledger.unpin(digest, clock.millis());
            }
        }
    }

    /** The unpacked archive of {@code digest}, fetched on first use, pinned until the lease is closed. */
    public Lease lease(String digest) throws IOException, ArchiveException {
        if (!DIGEST.matcher(digest).matches()) {
            throw new IllegalArgumentException("not a SHA-256 hex digest: " + digest);
        }
        Path dir = root.resolve(digest);
        while (true) {
            CodeLedger.Claim claim = ledger.claim(digest, clock.millis());
            if (claim instanceof CodeLedger.Claim.Ready) {
                return new Lease(digest, dir);
            }
            if (claim instanceof CodeLedger.Claim.Wait wait) {
                awaitOther(wait.unpacked(), digest);
                continue;
            }
            // One fetch per digest at a time; other digests proceed in parallel.
            try {
                long bytes = unpack(digest, dir);
                ledger.published(digest, bytes, clock.instant());
                return new Lease(digest, dir);
            } catch (IOException | ArchiveException | RuntimeException e) {
                ledger.failed(digest, e);
                throw e;
            }
        }
    }

    private static void awaitOther(CompletableFuture<Void> unpacked, String digest) throws IOException, ArchiveException {
        try {
            unpacked.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ArchiveException archive) {
                throw new ArchiveException(archive.getMessage(), archive.tooLarge());
            }
            throw new IOException("code " + digest + " could not be unpacked: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Brings the code onto this node's disk ahead of a call; returns its folder (it may be swept later). */
    public Path materialize(String digest) throws IOException, ArchiveException {
        try (Lease lease = lease(digest)) {
            return lease.dir();
        }
    }

    /** Version {@code version} of the function, given to this node, runs {@code digest}: the code stays while the version does. */
    public void use(String functionId, long version, String digest) {
        ledger.use(new CodeLedger.User(functionId, version), digest, clock.millis());
    }

    /** The function was deleted: the code of all its versions starts its grace period, even if a late call uses it. */
    public void retire(String functionId) {
        ledger.retire(Objects.requireNonNull(functionId, "functionId"), clock.instant());
    }

    /**
     * Exactly these versions of the function are retired: code no other version uses starts its
     * grace period, and a late call of one of them does not make the node keep it again.
     */
    public void retireVersions(String functionId, Set<Long> versions) {
        ledger.retireVersions(Objects.requireNonNull(functionId, "functionId"), Set.copyOf(versions), clock.instant());
    }

    /**
     * A retired version is prepared again (the control plane routes to it once more): its code is
     * kept while it is used, as any live version's. A deleted function stays retired.
     */
    public void revive(String functionId, long version) {
        ledger.revive(Objects.requireNonNull(functionId, "functionId"), version);
    }

    /** True when the digest is unpacked on this node now. */
    public boolean holds(String digest) {
        return ledger.holds(digest);
    }

    /** Unpacked bytes on this node, in whole blocks. */
    public long bytes() {
        return ledger.bytes();
    }

    /** Deletes what the policy says should go now; returns how long until the next sweep. */
    public Duration sweep() {
        Instant now = clock.instant();
        List<Path> trash = new ArrayList<>();
        for (CodeCachePolicy.Eviction e : ledger.sweep(policy, now, digest -> moveAside(digest, trash))) {
            log.debug("deleting unpacked code {} ({})", e.digest(), e.cause());
        }
        for (Path path : trash) {
            try {
                FileTrees.deleteTree(path);
            } catch (IOException e) {
                log.warn("cannot delete evicted code {}: {}", path.getFileName(), e.getMessage());
            }
        }
        return policy.nextSweep(ledger.snapshot(), clock.instant());
    }

    private boolean moveAside(String digest, List<Path> trash) {
        Path target = root.resolve(TRASH + UUID.randomUUID());
        try {
            Files.move(root.resolve(digest), target, StandardCopyOption.ATOMIC_MOVE);
            trash.add(target);
            return true;
        } catch (NoSuchFileException e) {
            return true; // already gone (deleted by hand): forget it
        } catch (IOException e) {
            log.warn("cannot evict unpacked code {}: {}", digest, e.getMessage());
            return false;
        }
    }

    /** Sweeps on a thread of its own until {@link #close}. */
    public synchronized void startSweeping() {
        if (sweeper == null) {
            sweeper = PeriodicSweep.start("code-sweeper", CodeCachePolicy.MIN_SWEEP_DELAY, CodeCachePolicy.MAX_SWEEP_DELAY, this::sweep);
        }
    }

    @Override
    public synchronized void close() {
        if (sweeper != null) {
            sweeper.close();
        }
    }

    private long unpack(String digest, Path dir) throws IOException, ArchiveException {
        Path staging = Files.createDirectories(root.resolve(STAGING + UUID.randomUUID()));
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
            long bytes = FileTrees.diskBytes(staging);
            Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            return bytes;
        } finally {
            if (Files.exists(staging, LinkOption.NOFOLLOW_LINKS)) {
                FileTrees.deleteTree(staging);
            }
        }
    }
}
