package dev.hearth.poolmanager.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The guard with a stub resolver: nothing here looks up a name or connects anywhere. */
class RegistryGuardTest {

    /** Answers from a table, recording every name asked; a name not in it does not exist. */
    static final class StubResolver implements RegistryGuard.Resolver {
        final Map<String, String[]> answers;
        final List<String> asked = new ArrayList<>();

        StubResolver(Map<String, String[]> answers) {
            this.answers = answers;
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            asked.add(host);
            String[] literals = answers.get(host);
            if (literals == null) {
                throw new UnknownHostException(host);
            }
            InetAddress[] all = new InetAddress[literals.length];
            for (int i = 0; i < literals.length; i++) {
                all[i] = InetAddress.getByName(literals[i]); // literals: no lookup
            }
            return all;
        }
    }

    final StubResolver dns = new StubResolver(Map.of(
            "registry-1.docker.io", new String[] {"44.205.64.79", "2600:1f18:2148:bc00::1"},
            "reg.example.com", new String[] {"93.184.215.14"},
            "inward.example.com", new String[] {"10.0.0.5"},
            "metadata.example.com", new String[] {"169.254.169.254"},
            "v6inward.example.com", new String[] {"fd00::5"},
            "mixed.example.com", new String[] {"93.184.215.14", "2606:4700::1111", "127.0.0.1"}));

    private Optional<RegistryGuard.Refusal> check(String list, boolean allowPrivate, String image) {
        return new RegistryGuard(Registries.parse(list, allowPrivate), dns).check(ImageReference.parse(image));
    }

    private RegistryGuard.Reason refused(String list, String image) {
        return check(list, false, image).orElseThrow(() -> new AssertionError(image + " was allowed")).reason();
    }

    @Test
    void aListedRegistryAtPublicAddresses_isAllowed() {
        assertTrue(check("docker.io", false, "alpine:3").isEmpty());
        assertTrue(check("docker.io", false, "index.docker.io/team/app").isEmpty());
        assertTrue(check("reg.example.com", false, "reg.example.com/team/app:1").isEmpty());
        assertEquals(List.of("registry-1.docker.io", "registry-1.docker.io", "reg.example.com"), dns.asked,
                "Docker Hub is checked where the daemon dials it");
    }

    @Test
    void aRegistryNotListed_isRefused_withoutResolvingIt() {
        assertEquals(RegistryGuard.Reason.NOT_LISTED, refused("docker.io", "127.0.0.1:8080/x/y:1"));
        assertEquals(RegistryGuard.Reason.NOT_LISTED, refused("docker.io", "reg.example.com/x"));
        assertEquals(RegistryGuard.Reason.NOT_LISTED, refused("docker.io", "INTERNAL/x:1"));
        assertEquals(RegistryGuard.Reason.NOT_LISTED, refused("reg.example.com", "alpine"));
        assertEquals(RegistryGuard.Reason.NOT_LISTED, refused("reg.example.com", "reg.example.com:5000/x"), "another port");
        assertEquals(RegistryGuard.Reason.NOT_LISTED, refused("reg.example.com:5000", "reg.example.com/x"), "no port");
        assertEquals(RegistryGuard.Reason.PULLING_DISABLED, refused("none", "alpine"));
        assertEquals(RegistryGuard.Reason.PULLING_DISABLED, refused("", "reg.example.com/x"));
        assertEquals(List.of(), dns.asked);
    }

    @Test
    void listedLiteralAddresses_thatAreInternal_areRefused_withoutAnyLookup() {
        String list = "127.0.0.1:8080,10.1.2.3,169.254.169.254,[::1]:5000,[fe80::1],[fd00::1],[::ffff:7f00:1],[::],0.0.0.0";
        for (String image : new String[] {"127.0.0.1:8080/x/y:1", "10.1.2.3/x", "169.254.169.254/latest/meta",
                "[::1]:5000/x/y", "[fe80::1]/x", "[fd00::1]/x", "[::ffff:7f00:1]/x", "[::]/x", "0.0.0.0/x"}) {
            assertEquals(RegistryGuard.Reason.PRIVATE_ADDRESS, refused(list, image), image);
        }
        assertEquals(List.of(), dns.asked);
    }

    @Test
    void localhostNames_areRefused_withoutResolving() {
        assertEquals(RegistryGuard.Reason.PRIVATE_ADDRESS, refused("localhost:5000", "localhost:5000/x/y"));
        assertEquals(RegistryGuard.Reason.PRIVATE_ADDRESS, refused("localhost", "LOCALHOST/x/y"));
        assertEquals(RegistryGuard.Reason.PRIVATE_ADDRESS, refused("reg.localhost", "reg.localhost/x"));
        assertEquals(List.of(), dns.asked);
    }

    @Test
    void listedNames_thatResolveInward_areRefused_evenWhenOneAnswerOfMany() {
        String list = "inward.example.com,metadata.example.com,v6inward.example.com,mixed.example.com";
        assertEquals(RegistryGuard.Reason.PRIVATE_ADDRESS, refused(list, "inward.example.com/x"));
        assertEquals(RegistryGuard.Reason.PRIVATE_ADDRESS, refused(list, "metadata.example.com/x"));
        assertEquals(RegistryGuard.Reason.PRIVATE_ADDRESS, refused(list, "v6inward.example.com/x"));
        assertEquals(RegistryGuard.Reason.PRIVATE_ADDRESS, refused(list, "mixed.example.com/x"));
    }

    @Test
    void aListedNameThatDoesNotResolve_isRefused() {
        assertEquals(RegistryGuard.Reason.UNRESOLVED, refused("gone.example.com", "gone.example.com/x"));
    }

    @Test
    void privateRegistriesAllowed_letsListedInternalOnesThrough_withoutResolving_butNeverUnlistedOnes() {
        assertTrue(check("127.0.0.1:5000,inward.example.com,localhost:5000", true, "127.0.0.1:5000/x").isEmpty());
        assertTrue(check("127.0.0.1:5000,inward.example.com,localhost:5000", true, "inward.example.com/x").isEmpty());
        assertTrue(check("127.0.0.1:5000,inward.example.com,localhost:5000", true, "localhost:5000/x").isEmpty());
        assertEquals(RegistryGuard.Reason.NOT_LISTED, check("inward.example.com", true, "127.0.0.1:5000/x").orElseThrow().reason());
        assertEquals(List.of(), dns.asked);
    }

    @Test
    void theMessage_namesImageAndRegistry_butNoResolvedAddress() {
        var refusal = check("inward.example.com", false, "inward.example.com/team/app:1").orElseThrow();
        assertEquals("the image 'inward.example.com/team/app:1' is not on this node, and its registry inward.example.com "
                + "is at a loopback, private or link-local address", refusal.message());
        assertTrue(refusal.detail().contains("10.0.0.5"), "the address goes to the log");
        assertFalse(refusal.message().contains("10.0.0.5"));
        assertEquals("the image '127.0.0.1:8080/x' is not on this node, and its registry 127.0.0.1:8080 is not one this node "
                + "may pull from (HEARTH_REGISTRIES)", check("docker.io", false, "127.0.0.1:8080/x").orElseThrow().message());
        assertEquals("the image 'alpine' is not on this node, and this node pulls no images (HEARTH_REGISTRIES is none)",
                check("none", false, "alpine").orElseThrow().message());
    }
}
