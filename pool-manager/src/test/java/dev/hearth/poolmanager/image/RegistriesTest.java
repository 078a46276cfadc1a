package dev.hearth.poolmanager.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class RegistriesTest {

    @Test
    void theDefault_isDockerHubUnderEachOfItsNames() {
        Registries hub = Registries.parse(Registries.DEFAULT, false);
        assertEquals(Set.of(Registry.HUB), hub.allowed());
        assertEquals(hub.allowed(), Registries.parse("index.docker.io", false).allowed());
        assertEquals(hub.allowed(), Registries.parse("registry-1.docker.io", false).allowed());
        assertFalse(hub.allowPrivate());
    }

    @Test
    void emptyOrNone_disablesPulling() {
        for (String none : new String[] {"", "  ", "none", "NONE", " none "}) {
            assertTrue(Registries.parse(none, false).pullingDisabled(), "'" + none + "'");
        }
    }

    @Test
    void aList_isTrimmedAndLowercased_withPortsAndIpv6() {
        Registries list = Registries.parse(" Reg.Example.com:5000 , ghcr.io,[::1]:5000,localhost", true);
        assertEquals(Set.of(new Registry("reg.example.com", 5000), new Registry("ghcr.io", 0), new Registry("::1", 5000),
                new Registry("localhost", 0)), list.allowed());
        assertTrue(list.allowPrivate());
        assertTrue(list.allows(new Registry("reg.example.com", 5000)));
        assertFalse(list.allows(new Registry("reg.example.com", 0)), "a port is part of the entry");
        assertFalse(list.allows(Registry.HUB));
    }

    @Test
    void aMalformedEntry_isRefusedNamingTheVariable() {
        for (String bad : new String[] {"https://reg.example.com", "reg.example.com/path", "docker.io,,ghcr.io", "docker.io,none",
                "reg.example.com:99999", "127.1", "[::1"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> Registries.parse(bad, false), bad);
            assertTrue(e.getMessage().contains("HEARTH_REGISTRIES"), e::getMessage);
        }
    }
}
