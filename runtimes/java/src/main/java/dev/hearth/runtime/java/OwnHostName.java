package dev.hearth.runtime.java;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Makes the container's own host name resolve. Docker lists it in {@code /etc/hosts} only for
 * a container with a network; in Hearth's default, network-less containers,
 * {@code InetAddress.getLocalHost()} fails, and libraries that ask it at start (log4j's
 * "Could not determine local host name") print errors into the function's first record. When
 * the name is missing, the agent gives the JVM a hosts file of its own: {@code /etc/hosts} plus
 * the name on the loopback addresses ({@code jdk.net.hosts.file}). That file is then the JVM's
 * only resolver, which loses nothing: a container without a network has no DNS to ask.
 * Must run before anything initializes {@code java.net.InetAddress}.
 */
final class OwnHostName {

    static final String PROPERTY = "jdk.net.hosts.file";

    private OwnHostName() {}

    /** Runs the check on the container's own files; a failure leaves the JVM's resolver as it was. */
    static void ensureResolvable() {
        try {
            ensureResolvable(Path.of("/proc/sys/kernel/hostname"), Path.of("/etc/hosts"), Path.of(System.getProperty("java.io.tmpdir")));
        } catch (IOException | RuntimeException e) {
            Diagnostics.log("cannot make the host name resolvable", e);
        }
    }

    /** @return the hosts file the JVM was given, or null when the name already resolves (or there is none) */
    static Path ensureResolvable(Path hostnameFile, Path etcHosts, Path tmp) throws IOException {
        String name = Files.readString(hostnameFile, StandardCharsets.UTF_8).trim();
        if (name.isEmpty() || !name.matches("[A-Za-z0-9.-]{1,253}")) {
            return null;
        }
        String hosts = Files.isReadable(etcHosts) ? Files.readString(etcHosts, StandardCharsets.UTF_8) : "";
        if (lists(hosts, name)) {
            return null;
        }
        Path file = tmp.resolve("hearth-hosts");
        String own = (hosts.isEmpty() || hosts.endsWith("\n") ? hosts : hosts + "\n")
                + "127.0.0.1\t" + name + "\n::1\t" + name + "\n";
        Files.writeString(file, own, StandardCharsets.UTF_8);
        System.setProperty(PROPERTY, file.toString());
        return file;
    }

    private static boolean lists(String hosts, String name) {
        for (String line : hosts.split("\n")) {
            int comment = line.indexOf('#');
            List<String> fields = Arrays.asList((comment < 0 ? line : line.substring(0, comment)).trim().split("\\s+"));
            if (fields.size() > 1 && fields.subList(1, fields.size()).stream().anyMatch(name::equalsIgnoreCase)) {
                return true;
            }
        }
        return false;
    }
}
