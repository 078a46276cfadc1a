package dev.hearth.controlplane.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClientAddressTest {

    private static InetAddress ip(String literal) {
        return ClientAddress.literal(literal);
    }

    @Test
    void forwardedFor_isIgnored_unlessThePeerIsATrustedProxy() {
        var noProxies = new ClientAddress(Set.of());
        assertEquals("203.0.113.9", noProxies.key(ip("203.0.113.9"), "198.51.100.1"));
        var trusting = new ClientAddress(Set.of(ip("10.0.0.2")));
        assertEquals("203.0.113.9", trusting.key(ip("203.0.113.9"), "198.51.100.1"), "an untrusted peer cannot name another client");
        assertEquals("198.51.100.1", trusting.key(ip("10.0.0.2"), "198.51.100.1"));
    }

    @Test
    void forwardedFor_isReadFromTheRight_stoppingAtTheFirstAddressNoProxyVouchesFor() {
        var trusting = new ClientAddress(Set.of(ip("10.0.0.2"), ip("10.0.0.3")));
        // The client wrote "1.2.3.4" itself; the proxies appended what they saw.
        assertEquals("198.51.100.1", trusting.key(ip("10.0.0.2"), "1.2.3.4, 198.51.100.1, 10.0.0.3"));
        assertEquals("10.0.0.2", trusting.key(ip("10.0.0.2"), "evil.example, garbage"), "garbage keeps the peer");
        assertEquals("198.51.100.1", trusting.key(ip("10.0.0.2"), "not-an-ip, 198.51.100.1"));
    }

    @Test
    void ipv6Clients_areKeyedByTheirSlash64() {
        var clients = new ClientAddress(Set.of());
        assertEquals(clients.key(ip("2001:db8:1:2::1"), null), clients.key(ip("2001:db8:1:2:ffff::9"), null));
        assertEquals("20010db800010002::/64", clients.key(ip("2001:db8:1:2::1"), null));
        assertEquals("192.0.2.1", clients.key(ip("::ffff:192.0.2.1"), null), "an IPv4-mapped address is its IPv4 address");
    }

    @Test
    void literal_neverLooksANameUp() {
        assertNull(ClientAddress.literal("localhost"));
        assertNull(ClientAddress.literal("example.com"));
        assertNull(ClientAddress.literal("1.2.3"));
        assertNull(ClientAddress.literal(""));
        assertNull(ClientAddress.literal("::g"));
        assertEquals(ip("127.0.0.1"), ClientAddress.literal("127.0.0.1"));
    }
}
