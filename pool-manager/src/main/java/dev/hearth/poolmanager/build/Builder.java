package dev.hearth.poolmanager.build;

import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.code.ArchiveException;
import dev.hearth.poolmanager.code.FileTrees;
import dev.hearth.poolmanager.code.SafeZip;
import dev.hearth.poolmanager.code.ZipLimits;
import dev.hearth.poolmanager.code.Zips;
import dev.hearth.poolmanager.docker.ContainerEngine;
import dev.hearth.poolmanager.docker.JobSpec;
import dev.hearth.poolmanager.docker.Labels;
import dev.hearth.poolmanager.host.Ownership;
import dev.hearth.poolmanager.host.Tmpfs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Turns uploaded source into runnable code in a builder container: pip for a
 * {@code requirements.txt}, npm for a {@code package.json}, javac or Maven for Java. The
 * container gets a workspace of its own, a tmpfs of {@code diskMb} that caps everything it can
 * write: the source, an output folder and a copy of its owner's caches ({@link BuildCaches}:
 * Maven repository, npm and pip caches; a build runs tenant code, which can write anything
 * there, so no other owner's build sees them). The host's CA bundle comes read-only, so
 * downloads through TLS-inspecting proxies work. The output is read only once the container is
 * gone, without following links ({@link Zips#zipTree}). The builder's output is handed out line
 * by line as it prints it, for those who follow a build live.
 */
public final class Builder {

    private static final String CA_MOUNT = "/etc/hearth-ca";
    private static final int MAX_LOG_BYTES = 256 * 1024;
    private static final int MAX_LEFT_OUT_LINES = 20;
    /** Files and folders a build's workspace may hold (a large node_modules has tens of thousands). */
    private static final int MAX_INODES = 262_144;
    /** Maven's JVM, npm and pip with their children fit well within this; a fork bomb does not. */
    static final int PIDS_LIMIT = 256;
    /** Scratch space of build tools (pip's unpacked sdists, npm's temporary files); {@code noexec}. */
    static final int TMPFS_MB = 512;

    /**
     * @param caBundle a folder like {@code /etc/ssl/certs} (with {@code ca-certificates.crt} and, for
     *                 Maven, {@code java/cacerts}), or null to trust only the image's own CAs
     * @param network  the Docker network builders join: the egress network, never Docker's default bridge
     */
    public record Settings(String image, String nodeId, Path workDir, Path cacheDir, Path caBundle, Duration timeout,
                           int memoryMb, long nanoCpus, int uid, String network, int diskMb) {
        public Settings {
            if (diskMb < 0) {
                throw new IllegalArgumentException("a build's disk must be >= 0 MiB: " + diskMb);
            }
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(workDir, "workDir");
            Objects.requireNonNull(cacheDir, "cacheDir");
            Objects.requireNonNull(timeout, "timeout");
        }
    }

    /** A finished build: its output as a zip when it succeeded, and its log either way. */
    public record Result(boolean succeeded, byte[] output, String log) {}

    private final Settings settings;
    private final ContainerEngine engine;
    private final BuildCaches caches;

    /** The node this builder runs on, which labels its containers. */
    public String nodeId() {
        return settings.nodeId();
    }

    public Builder(Settings settings, ContainerEngine engine) throws IOException {
        this.settings = settings;
        this.engine = engine;
        this.caches = new BuildCaches(settings.cacheDir());
    }

    /**
     * Builds one owner's source.
     *
     * @param owner whose build this is: it sees that owner's caches only
     */
    public Result build(String owner, Language language, InputStream sourceZip) throws IOException, InterruptedException {
        return build(owner, language, sourceZip, line -> {});
    }

    /**
     * Builds one owner's source, handing each line the builder container prints to {@code lines}
     * as it prints it (on a thread of the engine's; they are the first lines of {@link Result#log()},
     * which adds Hearth's notes after them).
     *
     * @param owner whose build this is: it sees that owner's caches only
     */
    public Result build(String owner, Language language, InputStream sourceZip, Consumer<String> lines)
            throws IOException, InterruptedException {
        Path work = Files.createDirectories(settings.workDir().resolve(UUID.randomUUID().toString()));
        boolean mounted = false;
        try {
            if (settings.diskMb() > 0) {
                // Everything the build can write lands here (its /tmp is in its memory): a tmpfs caps it.
                Tmpfs.mount(work, settings.diskMb() * 1024L, settings.uid(), MAX_INODES);
                mounted = true;
            }
            return buildIn(work, owner, language, sourceZip, lines);
        } finally {
            if (mounted) {
                Tmpfs.unmount(work);
            }
            FileTrees.deleteTree(work);
        }
    }

    private Result buildIn(Path work, String owner, Language language, InputStream sourceZip, Consumer<String> lines)
            throws IOException, InterruptedException {
        Path src = Files.createDirectories(work.resolve("src"));
        Path out = Files.createDirectories(work.resolve("out"));
        Path cache = work.resolve("cache");
        try {
            SafeZip.extract(sourceZip, src, ZipLimits.DEFAULT);
        } catch (ArchiveException e) {
            return new Result(false, null, "[hearth-build] the source archive is unusable: " + e.getMessage() + "\n");
        }
        caches.seed(owner, cache);
        grantTree(work);
        JobSpec.Result job = engine.runJob(new JobSpec(
                settings.image(),
                "hearth-build-" + settings.nodeId() + "-" + work.getFileName().toString().substring(0, 12),
                Map.of(Labels.NODE, settings.nodeId(), "dev.hearth.role", "build"),
                language.buildArguments(),
                env(),
                binds(src, out, cache),
                settings.network(),
                settings.memoryMb(),
                settings.nanoCpus(),
                PIDS_LIMIT,
                TMPFS_MB,
                settings.timeout(),
                MAX_LOG_BYTES), lines);
        // The container is gone: nothing changes the workspace from here on.
        caches.keep(owner, cache);
        if (job.timedOut()) {
            return new Result(false, null, job.log() + "[hearth-build] stopped after " + settings.timeout().toSeconds() + " s\n");
        }
        if (job.exitCode() != 0) {
            return new Result(false, null, job.log() + "[hearth-build] failed with exit status " + job.exitCode() + "\n");
        }
        try {
            Zips.Packed packed = Zips.zipTree(out, ZipLimits.DEFAULT);
            StringBuilder log = new StringBuilder(job.log());
            packed.leftOut().stream().limit(MAX_LEFT_OUT_LINES).forEach(line -> log.append("[hearth-build] left out ").append(line).append('\n'));
            if (packed.leftOut().size() > MAX_LEFT_OUT_LINES) {
                log.append("[hearth-build] left out ").append(packed.leftOut().size() - MAX_LEFT_OUT_LINES).append(" more\n");
            }
            return new Result(true, packed.zip(), log.toString());
        } catch (ArchiveException e) {
            return new Result(false, null, job.log() + "[hearth-build] the build output is too large: " + e.getMessage() + "\n");
        }
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", "/tmp");
        if (settings.caBundle() != null && Files.isRegularFile(settings.caBundle().resolve("ca-certificates.crt"))) {
            String pem = CA_MOUNT + "/ca-certificates.crt";
            env.put("SSL_CERT_FILE", pem);
            env.put("NODE_EXTRA_CA_CERTS", pem);
            env.put("npm_config_cafile", pem);
            env.put("PIP_CERT", pem);
            if (Files.isRegularFile(settings.caBundle().resolve("java/cacerts"))) {
                env.put("MAVEN_OPTS", "-Djavax.net.ssl.trustStore=" + CA_MOUNT + "/java/cacerts");
            }
        }
        return env;
    }

    private Map<String, String> binds(Path src, Path out, Path cache) throws IOException {
        Map<String, String> binds = new HashMap<>();
        binds.put(src.toString(), "/work/src");
        binds.put(out.toString(), "/work/out");
        for (String kind : BuildCaches.KINDS) {
            binds.put(cache.resolve(kind).toString(), "/cache/" + kind);
        }
        if (settings.caBundle() != null && Files.isDirectory(settings.caBundle())) {
            binds.put(settings.caBundle().toRealPath().toString(), CA_MOUNT + ":ro");
        }
        return binds;
    }

    /**
     * The builder runs as the container uid: it must own its source (Maven writes target/ there)
     * and output. The tree is what the host itself unpacked, before any build ran in it.
     */
    private void grantTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                grant(p);
            }
        }
    }

    private void grant(Path path) throws IOException {
        try {
            Ownership.toContainerUser(path, settings.uid());
        } catch (IOException | UnsupportedOperationException e) {
            // Not root: the folders are this user's, and the container's user cannot write them.
            throw new IOException("builds need to hand their folders to the container uid; run Hearth as root", e);
        }
    }
}
