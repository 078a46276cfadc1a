package dev.hearth.poolmanager.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's packet filter rules for the egress bridge, installed with the iptables binaries
 * Docker itself uses. Docker's {@code enable_icc=false} already drops traffic between the
 * bridge's containers; these rules add what Docker does not:
 * <ul>
 *   <li>{@code INPUT -i <bridge> -j DROP}: nothing from the bridge reaches the host itself, on
 *       any of its addresses (the gateway, other bridges' gateways, its LAN address), so no
 *       service on the host answers a tenant; Docker's DNS lives in each container's own
 *       namespace and is not affected;</li>
 *   <li>{@code DOCKER-USER -i <bridge> -d 169.254.0.0/16 -j DROP}: no link-local address (the
 *       cloud metadata service) on the way out;</li>
 *   <li>{@code DOCKER-USER -i <bridge> -o <bridge> -j DROP}: inter-container traffic is dropped
 *       even if the network's own option were lost;</li>
 *   <li>with IPv6 in the kernel, {@code ip6tables INPUT} and {@code FORWARD -i <bridge> -j DROP}:
 *       the network has no IPv6, but the host's bridge interface has a link-local IPv6 address,
 *       and IPv6 frames between containers are not covered by Docker's IPv4 rules.</li>
 * </ul>
 * Each rule is checked with {@code -C} and inserted first in its chain only when missing, under
 * a host-wide file lock, so processes starting together install it once.
 */
final class HostFirewall {

    private static final Logger log = LoggerFactory.getLogger(HostFirewall.class);
    /** The iptables front ends, in the order tried: the one whose DOCKER-USER chain exists is the one Docker uses. */
    private static final List<String> BINARIES = List.of("iptables", "iptables-nft", "iptables-legacy");

    /** What the firewall needs of the machine; {@link #system()} is the real one. */
    interface Host {
        /** Whether this process's network namespace has this interface (it does when it is the host's). */
        boolean hasInterface(String name);

        boolean hasIpv6();

        /** Runs a command to its end; an absent binary is an IOException. */
        Result run(List<String> command) throws IOException, InterruptedException;

        /** Runs the action holding a lock shared by every process on this host. */
        void locked(String name, Runnable action);
    }

    record Result(int exitCode, String output) {}

    /** One rule: its binary family ({@code ip6} or none), chain and match. */
    record Rule(boolean ipv6, String chain, List<String> spec) {
        Rule {
            spec = List.copyOf(spec);
        }

        @Override
        public String toString() {
            return (ipv6 ? "ip6tables " : "iptables ") + chain + " " + String.join(" ", spec);
        }
    }

    private final Host host;

    HostFirewall(Host host) {
        this.host = host;
    }

    static List<Rule> rules(String bridge, boolean ipv6) {
        List<Rule> rules = new ArrayList<>(List.of(
                new Rule(false, "INPUT", List.of("-i", bridge, "-j", "DROP")),
                new Rule(false, "DOCKER-USER", List.of("-i", bridge, "-o", bridge, "-j", "DROP")),
                new Rule(false, "DOCKER-USER", List.of("-i", bridge, "-d", "169.254.0.0/16", "-j", "DROP"))));
        if (ipv6) {
            rules.add(new Rule(true, "INPUT", List.of("-i", bridge, "-j", "DROP")));
            rules.add(new Rule(true, "FORWARD", List.of("-i", bridge, "-j", "DROP")));
        }
        return List.copyOf(rules);
    }

    /**
     * Installs the rules for the bridge (each once); throws with what to do when this process
     * cannot, e.g. when it runs in a network namespace of its own.
     */
    void install(String network, String bridge) {
        if (!host.hasInterface(bridge)) {
            throw new IllegalStateException("this process cannot see the interface " + bridge + " of the Docker network "
                    + network + ", so it does not share the host's network namespace (is Hearth running in a container?)"
                    + " and cannot install the rules that keep egress containers away from the host. Install them on the"
                    + " host ('java -jar hearth.jar egress-firewall' in the host's network namespace with NET_ADMIN, as the"
                    + " egress-firewall service of deploy/compose.yaml does) and set HEARTH_EGRESS_FIREWALL=external");
        }
        host.locked("hearth-egress-" + bridge, () -> {
            String binary = dockersIptables();
            List<Rule> missing = new ArrayList<>();
            for (Rule rule : rules(bridge, host.hasIpv6())) {
                if (!present(binary, rule)) {
                    insert(binary, rule);
                    missing.add(rule);
                }
            }
            if (missing.isEmpty()) {
                log.debug("firewall rules for {} already in place", bridge);
            } else {
                log.info("installed firewall rules for the egress bridge {}: {}", bridge, missing);
            }
        });
    }

    /** The iptables front end Docker writes to: the one that has Docker's DOCKER-USER chain. */
    private String dockersIptables() {
        List<String> tried = new ArrayList<>();
        for (String binary : BINARIES) {
            Optional<Result> listed = tryRun(List.of(binary, "-w", "-S", "DOCKER-USER"));
            if (listed.isPresent() && listed.get().exitCode() == 0) {
                return binary;
            }
            listed.ifPresent(r -> tried.add(binary + ": " + r.output().strip()));
        }
        throw new IllegalStateException("no iptables front end here has Docker's DOCKER-USER chain (does dockerd manage"
                + " iptables, and does this process have NET_ADMIN?); tried " + (tried.isEmpty() ? BINARIES + ", none installed" : tried));
    }

    private boolean present(String binary, Rule rule) {
        Result checked = run(command(binary, rule, "-C"));
        // iptables -C answers 1 for a rule that is not there; anything else (no permission, no chain) is an error.
        if (checked.exitCode() > 1) {
            throw new IllegalStateException("cannot check the firewall rule '" + rule + "': " + checked.output().strip());
        }
        return checked.exitCode() == 0;
    }

    private void insert(String binary, Rule rule) {
        Result inserted = run(command(binary, rule, "-I"));
        if (inserted.exitCode() != 0) {
            throw new IllegalStateException("cannot install the firewall rule '" + rule + "': " + inserted.output().strip());
        }
    }

    /** {@code iptables -w -C INPUT -i br -j DROP}; an insert goes first in its chain, ahead of any ACCEPT. */
    private static List<String> command(String binary, Rule rule, String action) {
        List<String> command = new ArrayList<>();
        command.add(rule.ipv6() ? binary.replaceFirst("^iptables", "ip6tables") : binary);
        command.add("-w");
        command.add(action);
        command.add(rule.chain());
        if (action.equals("-I")) {
            command.add("1");
        }
        command.addAll(rule.spec());
        return command;
    }

    private Result run(List<String> command) {
        try {
            return host.run(command);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + " (install the 'iptables' package): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    private Optional<Result> tryRun(List<String> command) {
        try {
            return Optional.of(host.run(command));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    /** This machine: {@code /sys/class/net}, {@code /proc/net/if_inet6}, binaries from PATH or the sbin folders. */
    static Host system() {
        return new SystemHost();
    }

    private static final class SystemHost implements Host {
        private static final long TIMEOUT_SECONDS = 60;

        @Override
        public boolean hasInterface(String name) {
            return Files.isDirectory(Path.of("/sys/class/net", name));
        }

        @Override
        public boolean hasIpv6() {
            return Files.exists(Path.of("/proc/net/if_inet6"));
        }

        @Override
        public Result run(List<String> command) throws IOException, InterruptedException {
            List<String> resolved = new ArrayList<>(command);
            resolved.set(0, locate(command.get(0)));
            Process process = new ProcessBuilder(resolved).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(command.get(0) + " did not end within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        }

        /** Root's PATH may lack the sbin folders where Debian puts iptables. */
        private static String locate(String binary) throws IOException {
            List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
            dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
            for (String dir : dirs) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, binary))) {
                    return Path.of(dir, binary).toString();
                }
            }
            throw new IOException(binary + " not found");
        }

        @Override
        public void locked(String name, Runnable action) {
            Path dir = Files.isDirectory(Path.of("/run/lock")) ? Path.of("/run/lock") : Path.of(System.getProperty("java.io.tmpdir"));
            // A file lock is per process, so threads of this one queue on the class first.
            synchronized (SystemHost.class) {
                try (FileChannel channel = FileChannel.open(dir.resolve(name + ".lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                     var lock = channel.lock()) {
                    action.run();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot lock " + dir.resolve(name + ".lock"), e);
                }
            }
        }
    }
}
