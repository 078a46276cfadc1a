package dev.hearth.poolmanager.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Size-capped tmpfs mounts on host folders that containers then bind-mount: the one way to cap
 * what a container can write into a folder the host shares with it (the kernel charges the pages
 * to the memory cgroup of whoever writes them). Mounting needs root with {@code CAP_SYS_ADMIN} in
 * the mount namespace the Docker engine sees (the host's).
 */
public final class Tmpfs {

    private static final Logger log = LoggerFactory.getLogger(Tmpfs.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Tmpfs() {}

    /**
     * Mounts a tmpfs of {@code sizeKb} on {@code dir} (an empty folder), its root owned by
     * {@code uid}:{@code uid} with mode 0700, without devices, set-uid or execution.
     *
     * @param maxInodes files and folders it may hold (empty ones take no space, so they are capped apart)
     */
    public static void mount(Path dir, long sizeKb, int uid, int maxInodes) throws IOException {
        run("mount", "-t", "tmpfs", "-o", "size=" + sizeKb + "k,nr_inodes=" + maxInodes + ",mode=0700,uid=" + uid + ",gid=" + uid
                + ",nosuid,nodev,noexec", "hearth", dir.toString());
    }

    /** Detaches the mount at {@code dir} (lazily: a process still inside keeps it until it leaves); its files are gone. */
    public static void unmount(Path dir) throws IOException {
        run("umount", "--lazy", dir.toString());
    }

    /** Unmounts everything mounted at or under {@code root}, deepest first, such as what a previous run left. */
    public static void unmountAllUnder(Path root) throws IOException {
        List<Path> under = new ArrayList<>(mountPoints().stream().filter(p -> p.startsWith(root)).toList());
        under.sort(Comparator.reverseOrder());
        for (Path mount : under) {
            unmount(mount);
        }
    }

    /** Mount points as this process sees them ({@code /proc/self/mountinfo}, field five, octal escapes undone). */
    static List<Path> mountPoints() throws IOException {
        List<Path> points = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
                String[] fields = line.split(" ");
                if (fields.length > 4) {
                    points.add(Path.of(unescape(fields[4])));
                }
            }
        } catch (NoSuchFileException e) {
            // not Linux: nothing is mounted by this class either
        }
        return points;
    }

    private static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static void run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(command[0] + " did not finish within " + TIMEOUT.toSeconds() + " s");
            }
            if (process.exitValue() != 0) {
                throw new IOException(command[0] + " failed (" + process.exitValue() + "): " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command[0], e);
        }
        log.debug("ran {}", String.join(" ", command));
    }
}
