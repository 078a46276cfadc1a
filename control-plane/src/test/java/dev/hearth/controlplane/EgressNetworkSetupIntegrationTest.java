package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.poolmanager.docker.DockerEngine;
import dev.hearth.poolmanager.docker.EgressNetwork;
import dev.hearth.poolmanager.docker.EgressSettings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The egress network and its host rules, made for real on this engine and this host's packet
 * filter, under names of the test's own that it removes afterwards.
 */
class EgressNetworkSetupIntegrationTest {

    private static final String DOCKER = System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");

    /** Rules naming the bridge, as {@code iptables -S} prints them. */
    private static List<String> rules(String binary, String bridge) throws Exception {
        Process p = new ProcessBuilder(binary, "-w", "-S").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return Arrays.stream(out.split("\n")).filter(l -> l.contains("-i " + bridge + " ")).toList();
    }

    private static void removeRules(String binary, String bridge) throws Exception {
        for (String rule : rules(binary, bridge)) {
            List<String> command = new ArrayList<>(List.of(binary, "-w"));
            command.addAll(Arrays.asList(rule.replaceFirst("^-A ", "-D ").split(" ")));
            new ProcessBuilder(command).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static void removeNetwork(String name) {
        Docker.CLIENT.listNetworksCmd().withNameFilter(name).exec().stream()
                .filter(n -> n.getName().equals(name))
                .forEach(n -> Docker.CLIENT.removeNetworkCmd(n.getId()).exec());
    }

    @Test
    void ensure_fromFourProcessesAtOnce_makesOneNetworkAndEachRuleOnce() throws Exception {
        String name = "hx-" + UUID.randomUUID().toString().substring(0, 8);
        var settings = new EgressSettings(name, name, EgressSettings.Firewall.HOST);
        ExecutorService starters = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                runs.add(starters.submit(() -> {
                    // An engine client each, as separate Hearth processes have.
                    try (var engine = new DockerEngine(DOCKER, HearthConfig.DEFAULT_CONTAINER_UID, System::nanoTime)) {
                        go.await();
                        EgressNetwork.ensure(engine, settings);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
            var networks = Docker.CLIENT.listNetworksCmd().withNameFilter(name).exec().stream()
                    .filter(n -> n.getName().equals(name)).toList();
            assertEquals(1, networks.size(), networks::toString);
            var network = Docker.CLIENT.inspectNetworkCmd().withNetworkId(name).exec();
            assertEquals(Map.of("com.docker.network.bridge.enable_icc", "false", "com.docker.network.bridge.name", name),
                    network.getOptions());
            assertEquals(false, network.getEnableIPv6());

            List<String> v4 = rules("iptables", name);
            assertEquals(List.of(
                    "-A INPUT -i " + name + " -j DROP",
                    "-A DOCKER-USER -i " + name + " -o " + name + " -j DROP",
                    "-A DOCKER-USER -d 169.254.0.0/16 -i " + name + " -j DROP").stream().sorted().toList(),
                    v4.stream().filter(r -> !r.startsWith("-A FORWARD") && !r.startsWith("-A DOCKER-ISOLATION")).sorted().toList(),
                    "each of Hearth's rules once: " + v4);
            boolean ipv6 = java.nio.file.Files.exists(java.nio.file.Path.of("/proc/net/if_inet6"));
            assertEquals(ipv6 ? List.of("-A FORWARD -i " + name + " -j DROP", "-A INPUT -i " + name + " -j DROP") : List.of(),
                    rules("ip6tables", name).stream().sorted().toList());
        } finally {
            starters.shutdownNow();
            removeRules("iptables", name);
            removeRules("ip6tables", name);
            removeNetwork(name);
        }
    }

    @Test
    void ensure_refusesANetworkOfThatNameThatHearthDidNotMake() throws Exception {
        String name = "hx-" + UUID.randomUUID().toString().substring(0, 8);
        Docker.CLIENT.createNetworkCmd().withName(name).withDriver("bridge").exec();
        try (var engine = new DockerEngine(DOCKER, HearthConfig.DEFAULT_CONTAINER_UID, System::nanoTime)) {
            var settings = new EgressSettings(name, name, EgressSettings.Firewall.HOST);
            var e = assertThrows(IllegalStateException.class, () -> EgressNetwork.ensure(engine, settings));
            assertTrue(e.getMessage().contains("inter-container traffic is not off"), e::getMessage);
            assertEquals(List.of(), rules("iptables", name), "no rules for a network that was refused");
        } finally {
            removeNetwork(name);
        }
    }
}
