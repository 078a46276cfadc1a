package dev.hearth.poolmanager.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImageReferenceTest {

    private static Registry registryOf(String reference) {
        return ImageReference.parse(reference).registry();
    }

    @Test
    void withoutARegistryComponent_theRegistryIsDockerHub() {
        for (String hub : new String[] {"alpine", "alpine:3.20", "library/alpine", "hearth/example-rev",
                "team/app/sub:1.0", "app@sha256:" + "a".repeat(64), "a-b_c__d/e.f--g:T_1.x"}) {
            assertEquals(Registry.HUB, registryOf(hub), hub);
        }
    }

    @Test
    void dockerHubsOtherNames_areDockerHub() {
        assertEquals(Registry.HUB, registryOf("docker.io/library/alpine:3"));
        assertEquals(Registry.HUB, registryOf("index.docker.io/team/app"));
        assertEquals(Registry.HUB, registryOf("registry-1.docker.io/team/app"));
        assertEquals(Registry.HUB, registryOf("Docker.IO/team/app"));
        assertEquals(new Registry("docker.io", 443), registryOf("docker.io:443/team/app"), "a port makes it another registry");
    }

    @Test
    void aFirstComponentWithADotColonOrUpperCase_orLocalhost_isTheRegistry() {
        assertEquals(new Registry("ghcr.io", 0), registryOf("ghcr.io/team/app:1"));
        assertEquals(new Registry("localhost", 0), registryOf("localhost/app"));
        assertEquals(new Registry("localhost", 5000), registryOf("localhost:5000/x/y"));
        assertEquals(new Registry("127.0.0.1", 8080), registryOf("127.0.0.1:8080/x/y:1"));
        assertEquals(new Registry("registry", 5000), registryOf("registry:5000/x"));
        assertEquals(new Registry("internal", 0), registryOf("INTERNAL/app:1"),
                "Docker reads an upper-case first component as a host: the daemon would dial it");
        assertEquals(new Registry("reg.example.com", 0), registryOf("Reg.Example.COM/team/app"));
        assertEquals(new Registry("reg.example.com", 5000), registryOf("reg.example.com:5000/team/app:2@sha256:" + "b".repeat(64)));
    }

    @Test
    void ipv6LiteralsInBrackets_withOrWithoutAPort() {
        assertEquals(new Registry("::1", 5000), registryOf("[::1]:5000/x/y"));
        assertEquals(new Registry("fd00::1", 0), registryOf("[FD00::1]/x/y:latest"));
        assertEquals(new Registry("::ffff:7f00:1", 0), registryOf("[::ffff:7f00:1]/x"));
        assertEquals("[::1]:5000", registryOf("[::1]:5000/x/y").toString());
        assertTrue(registryOf("[::1]:5000/x/y").literal().isLoopbackAddress());
        assertEquals(null, registryOf("reg.example.com/x").literal(), "a name has no literal address: nothing is looked up");
    }

    @Test
    void whatDockersGrammarRefuses_isRefused() {
        for (String bad : new String[] {"", "Not An Image", "UPPER", "team/App", "http://reg.example.com/x",
                "reg.example.com/", "/x", "x//y", "x:", "x:-tag", "x:" + "t".repeat(129), "x@sha256:abc", "x@md5:" + "a".repeat(32),
                "[::1/x", "[zz::1]/x", "[1:2:3:4:5:6:7:8:9]/x", "[fe80::1%eth0]/x", "[::1]", "a..b/x", "-a.b/x",
                "reg.example.com:0/x", "reg.example.com:99999/x", "reg.example.com:http/x", "a b/c", "x/y\n",
                "team/" + "a".repeat(251)}) {
            assertThrows(IllegalArgumentException.class, () -> ImageReference.parse(bad), bad);
        }
    }

    @Test
    void numericHostsResolversReadDifferently_areRefused() {
        for (String ambiguous : new String[] {"127.1:5000/x", "0177.0.0.1/x", "0x7f.0.0.1/x", "2130706433:80/x", "1.2.3.4.5/x",
                "256.1.1.1/x", "10.0.0.010/x"}) {
            assertThrows(IllegalArgumentException.class, () -> ImageReference.parse(ambiguous), ambiguous);
        }
    }
}
