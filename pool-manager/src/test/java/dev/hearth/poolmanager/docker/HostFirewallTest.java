package dev.hearth.poolmanager.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rules, and that they are checked before being inserted, against a fake host. */
class HostFirewallTest {

    /** A host whose iptables keeps its rules in a set; no real packet filter is touched. */
    static class FakeHost implements HostFirewall.Host {
        final List<List<String>> commands = new ArrayList<>();
        final Set<String> rules = new HashSet<>();
        final Set<String> binaries = new HashSet<>(Set.of("iptables", "ip6tables"));
        boolean dockerUser = true;
        boolean seesBridge = true;
        boolean ipv6 = true;
        int locks;

        @Override
        public boolean hasInterface(String name) {
            return seesBridge;
        }

        @Override
        public boolean hasIpv6() {
            return ipv6;
        }

        @Override
        public HostFirewall.Result run(List<String> command) throws IOException {
            commands.add(command);
            if (!binaries.contains(command.get(0))) {
                throw new IOException(command.get(0) + " not found");
            }
            String action = command.get(2);
            String key = command.get(0) + " " + String.join(" ", command.subList(3, command.size()));
            return switch (action) {
                case "-S" -> new HostFirewall.Result(dockerUser ? 0 : 1, dockerUser ? "" : "No chain/target/match by that name.");
                case "-C" -> new HostFirewall.Result(rules.contains(key) ? 0 : 1, "");
                case "-I" -> {
                    // "-I CHAIN 1 spec": stored as "CHAIN spec", as -C names it
                    List<String> spec = new ArrayList<>(command.subList(3, command.size()));
                    spec.remove(1);
                    rules.add(command.get(0) + " " + String.join(" ", spec));
                    yield new HostFirewall.Result(0, "");
                }
                default -> new HostFirewall.Result(2, "unexpected " + action);
            };
        }

        @Override
        public void locked(String name, Runnable action) {
            locks++;
            action.run();
        }

        long count(String action) {
            return commands.stream().filter(c -> c.size() > 2 && c.get(2).equals(action)).count();
        }
    }

    @Test
    void install_insertsEachRuleFirstInItsChain_afterCheckingItIsMissing() {
        var host = new FakeHost();
        new HostFirewall(host).install("hearth-egress", "hearth-egress");
        assertEquals(Set.of(
                "iptables INPUT -i hearth-egress -j DROP",
                "iptables DOCKER-USER -i hearth-egress -o hearth-egress -j DROP",
                "iptables DOCKER-USER -i hearth-egress -d 169.254.0.0/16 -j DROP",
                "ip6tables INPUT -i hearth-egress -j DROP",
                "ip6tables FORWARD -i hearth-egress -j DROP"), host.rules);
        assertEquals(5, host.count("-C"));
        assertEquals(5, host.count("-I"));
        assertTrue(host.commands.stream().filter(c -> c.get(2).equals("-I")).allMatch(c -> c.get(1).equals("-w") && c.get(4).equals("1")),
                host.commands::toString);
        assertEquals(1, host.locks);
    }

    @Test
    void install_again_checksAndInsertsNothing() {
        var host = new FakeHost();
        new HostFirewall(host).install("hearth-egress", "hearth-egress");
        host.commands.clear();
        new HostFirewall(host).install("hearth-egress", "hearth-egress");
        assertEquals(5, host.count("-C"));
        assertEquals(0, host.count("-I"));
        assertEquals(5, host.rules.size());
    }

    @Test
    void install_withoutIpv6InTheKernel_leavesIp6tablesAlone() {
        var host = new FakeHost();
        host.ipv6 = false;
        new HostFirewall(host).install("hearth-egress", "hearth-egress");
        assertEquals(3, host.rules.size());
        assertTrue(host.commands.stream().noneMatch(c -> c.get(0).startsWith("ip6")), host.commands::toString);
    }

    @Test
    void install_usesTheFrontEndThatHoldsDockersChain() {
        var host = new FakeHost();
        host.binaries.clear();
        host.binaries.addAll(Set.of("iptables-legacy", "ip6tables-legacy"));
        new HostFirewall(host).install("hearth-egress", "hearth-egress");
        assertTrue(host.rules.contains("iptables-legacy INPUT -i hearth-egress -j DROP"), host.rules::toString);
        assertTrue(host.rules.contains("ip6tables-legacy FORWARD -i hearth-egress -j DROP"), host.rules::toString);
    }

    @Test
    void install_inAnotherNetworkNamespace_failsAndSaysWhatToDo() {
        var host = new FakeHost();
        host.seesBridge = false;
        var e = assertThrows(IllegalStateException.class, () -> new HostFirewall(host).install("hearth-egress", "hearth-egress"));
        assertTrue(e.getMessage().contains("HEARTH_EGRESS_FIREWALL=external"), e::getMessage);
        assertTrue(e.getMessage().contains("egress-firewall"), e::getMessage);
        assertTrue(host.commands.isEmpty(), "nothing is run where the rules would not apply");
    }

    @Test
    void install_withoutDockersChain_fails() {
        var host = new FakeHost();
        host.dockerUser = false;
        var e = assertThrows(IllegalStateException.class, () -> new HostFirewall(host).install("hearth-egress", "hearth-egress"));
        assertTrue(e.getMessage().contains("DOCKER-USER"), e::getMessage);
        assertTrue(host.rules.isEmpty());
    }

    @Test
    void install_whenACheckIsRefused_failsWithIptablesWords() {
        var host = new FakeHost() {
            @Override
            public HostFirewall.Result run(List<String> command) throws IOException {
                return command.get(2).equals("-C") ? new HostFirewall.Result(4, "Permission denied (you must be root)")
                        : super.run(command);
            }
        };
        var e = assertThrows(IllegalStateException.class, () -> new HostFirewall(host).install("hearth-egress", "hearth-egress"));
        assertTrue(e.getMessage().contains("Permission denied"), e::getMessage);
        assertEquals(0, host.count("-I"));
    }

    @Test
    void settings_refuseBadNames() {
        assertThrows(IllegalArgumentException.class, () -> new EgressSettings("bridge", "hearth0", EgressSettings.Firewall.HOST));
        assertThrows(IllegalArgumentException.class, () -> new EgressSettings("none", "hearth0", EgressSettings.Firewall.HOST));
        assertThrows(IllegalArgumentException.class,
                () -> new EgressSettings("hearth-egress", "a-name-of-16-chr", EgressSettings.Firewall.HOST));
        assertThrows(IllegalArgumentException.class, () -> new EgressSettings("hearth-egress", "br 0", EgressSettings.Firewall.HOST));
        assertThrows(IllegalArgumentException.class, () -> EgressSettings.Firewall.parse("off"));
        assertEquals("hearth-egress", new EgressSettings("hearth-egress", "hearth-egress", EgressSettings.Firewall.HOST).bridge());
    }
}
