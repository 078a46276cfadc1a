package dev.hearth.poolmanager.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.poolmanager.UnknownImageException;
import dev.hearth.poolmanager.docker.ContainerEngine;
import dev.hearth.poolmanager.image.Registries;
import dev.hearth.poolmanager.image.RegistryGuard;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The order of look, check and pull, over a stand-in engine that only records (no Docker here). */
class ImagePullerTest {

    final Set<String> present = new HashSet<>();
    final List<String> calls = new ArrayList<>();
    final List<String> lookups = new ArrayList<>();
    String pullFailure;

    final ContainerEngine engine = (ContainerEngine) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {ContainerEngine.class}, (proxy, method, args) -> {
                calls.add(method.getName() + " " + args[0]);
                return switch (method.getName()) {
                    case "imageExists" -> present.contains((String) args[0]);
                    case "pull" -> {
                        if (pullFailure != null) {
                            throw new IOException(pullFailure);
                        }
                        present.add((String) args[0]);
                        yield null;
                    }
                    default -> throw new AssertionError("not expected: " + method);
                };
            });

    private ImagePuller puller(String registries) {
        RegistryGuard.Resolver resolver = host -> {
            lookups.add(host);
            return new InetAddress[] {InetAddress.getByName("93.184.215.14")};
        };
        return new ImagePuller(engine, new RegistryGuard(Registries.parse(registries, false), resolver));
    }

    @Test
    void anImageOnTheNode_isUsed_withNoCheckAndNoPull_whateverItsRegistry() {
        present.add("127.0.0.1:8080/x/y:1");
        puller("none").require("127.0.0.1:8080/x/y:1");
        assertEquals(List.of("imageExists 127.0.0.1:8080/x/y:1"), calls);
        assertEquals(List.of(), lookups);
    }

    @Test
    void aRefusedRegistry_isNeverPulledFrom() {
        var e = assertThrows(UnknownImageException.class, () -> puller("reg.example.com,127.0.0.1:8080").require("127.0.0.1:8080/x/y:1"));
        assertTrue(e.getMessage().contains("loopback, private or link-local"), e::getMessage);
        assertThrows(UnknownImageException.class, () -> puller("reg.example.com").require("localhost:8080/x"));
        assertEquals(List.of("imageExists 127.0.0.1:8080/x/y:1", "imageExists localhost:8080/x"), calls);
    }

    @Test
    void anAllowedRegistry_isPulledFrom() {
        puller("reg.example.com").require("reg.example.com/team/app:1");
        assertEquals(List.of("imageExists reg.example.com/team/app:1", "pull reg.example.com/team/app:1",
                "imageExists reg.example.com/team/app:1"), calls);
        assertEquals(List.of("reg.example.com"), lookups);
    }

    @Test
    void aFailedPull_isAnsweredInHearthsWords_neverTheEngines() {
        pullFailure = "Get \"http://reg.example.com/v2/\": internal-service-banner secret=42";
        var e = assertThrows(UnknownImageException.class, () -> puller("reg.example.com").require("reg.example.com/team/app:1"));
        assertEquals("the image 'reg.example.com/team/app:1' is not on this node, and pulling it from reg.example.com failed",
                e.getMessage());
        assertFalse(e.getMessage().contains("secret"));
    }

    @Test
    void aMalformedReference_neverReachesTheEngine() {
        assertThrows(UnknownImageException.class, () -> puller("docker.io").require("http://127.0.0.1:8080/x"));
        assertEquals(List.of(), calls);
    }
}
