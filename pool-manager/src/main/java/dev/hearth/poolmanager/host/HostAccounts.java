package dev.hearth.poolmanager.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Checks that the uid containers run as is nobody's on the host. Files a container writes into a
 * bind-mounted folder are owned by that uid on the host too, and a host account (or a user's
 * subordinate range, which rootless containers map) with the same uid could read or change them.
 */
public final class HostAccounts {

    private HostAccounts() {}

    /**
     * Throws when a host account or group, or a subordinate uid/gid range, holds {@code uid}.
     *
     * @param etc the host's {@code /etc} (a parameter for tests)
     */
    public static void requireUnused(int uid, Path etc) throws IOException {
        Optional<String> holder = holder(uid, etc).or(() -> fromNss(uid));
        if (holder.isPresent()) {
            throw new IllegalStateException("the container uid " + uid + " (HEARTH_CONTAINER_UID) belongs to " + holder.get()
                    + " on this host; choose a uid that no host account, group or subordinate range has");
        }
    }

    static Optional<String> holder(int uid, Path etc) throws IOException {
        String id = Integer.toString(uid);
        for (String line : lines(etc.resolve("passwd"))) {
            String[] f = line.split(":", -1);
            if (f.length > 3 && (f[2].equals(id) || f[3].equals(id))) {
                return Optional.of("the account '" + f[0] + "'");
            }
        }
        for (String line : lines(etc.resolve("group"))) {
            String[] f = line.split(":", -1);
            if (f.length > 2 && f[2].equals(id)) {
                return Optional.of("the group '" + f[0] + "'");
            }
        }
        for (String file : List.of("subuid", "subgid")) {
            for (String line : lines(etc.resolve(file))) {
                String[] f = line.split(":", -1);
                try {
                    long start = Long.parseLong(f[1].trim());
                    long count = Long.parseLong(f[2].trim());
                    if (uid >= start && uid < start + count) {
                        return Optional.of("the subordinate range of '" + f[0] + "' in /etc/" + file);
                    }
                } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
                    // not a range line
                }
            }
        }
        return Optional.empty();
    }

    /** Accounts from other name services (LDAP, SSSD), as {@code getent} sees them; none when it cannot run. */
    private static Optional<String> fromNss(int uid) {
        for (String database : List.of("passwd", "group")) {
            try {
                Process getent = new ProcessBuilder("getent", database, Integer.toString(uid)).redirectErrorStream(true).start();
                String out = new String(getent.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (getent.waitFor(5, TimeUnit.SECONDS) && getent.exitValue() == 0 && !out.isEmpty()) {
                    return Optional.of("'" + out.split(":", 2)[0] + "' (" + database + ")");
                }
            } catch (IOException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static List<String> lines(Path file) throws IOException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }
}
