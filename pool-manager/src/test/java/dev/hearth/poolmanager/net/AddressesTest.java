package dev.hearth.poolmanager.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class AddressesTest {

    /** Literals only: the JDK parses them without any lookup. */
    private static InetAddress at(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    /** An IPv6 address kept as IPv6 even when it carries IPv4 (the JDK would otherwise unwrap it). */
    private static InetAddress v6(int... words) throws UnknownHostException {
        byte[] raw = new byte[16];
        for (int i = 0; i < 8; i++) {
            raw[2 * i] = (byte) (words[i] >> 8);
            raw[2 * i + 1] = (byte) words[i];
        }
        return Inet6Address.getByAddress(null, raw, -1);
    }

    @Test
    void internalIpv4_loopbackPrivateCgnatLinkLocalUnspecifiedMulticastReserved() throws Exception {
        for (String internal : new String[] {"127.0.0.1", "127.255.255.254", "0.0.0.0", "0.1.2.3", "10.0.0.1",
                "172.16.0.1", "172.31.255.255", "192.168.1.1", "100.64.0.0", "100.127.255.255", "169.254.169.254",
                "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255"}) {
            assertTrue(Addresses.isInternal(at(internal)), internal);
        }
    }

    @Test
    void publicIpv4_includingTheNeighboursOfEachInternalRange() throws Exception {
        for (String open : new String[] {"1.1.1.1", "93.184.215.14", "9.255.255.255", "11.0.0.0", "172.15.255.255",
                "172.32.0.0", "192.167.255.255", "192.169.0.0", "100.63.255.255", "100.128.0.0", "169.253.255.255",
                "169.255.0.0", "126.255.255.255", "128.0.0.0", "223.255.255.255"}) {
            assertFalse(Addresses.isInternal(at(open)), open);
        }
    }

    @Test
    void internalIpv6_loopbackUnspecifiedLinkLocalSiteLocalUniqueLocalMulticast() throws Exception {
        for (String internal : new String[] {"::1", "::", "fe80::1", "febf::1", "fec0::1", "fc00::1", "fd12:3456::1", "ff02::1"}) {
            assertTrue(Addresses.isInternal(at(internal)), internal);
        }
        for (String open : new String[] {"2606:4700::1111", "2a00:1450::1", "fe00::1", "fbff::1"}) {
            assertFalse(Addresses.isInternal(at(open)), open);
        }
    }

    @Test
    void ipv4WrittenAsIpv6_isJudgedByItsIpv4Address() throws Exception {
        assertTrue(Addresses.isInternal(v6(0, 0, 0, 0, 0, 0xffff, 0x7f00, 1)), "::ffff:127.0.0.1");
        assertTrue(Addresses.isInternal(v6(0, 0, 0, 0, 0, 0xffff, 0x0a00, 5)), "::ffff:10.0.0.5");
        assertTrue(Addresses.isInternal(v6(0, 0, 0, 0, 0, 0xffff, 0xa9fe, 0xa9fe)), "::ffff:169.254.169.254");
        assertTrue(Addresses.isInternal(v6(0, 0, 0, 0, 0, 0, 0x7f00, 1)), "::127.0.0.1 (IPv4-compatible)");
        assertTrue(Addresses.isInternal(v6(0x64, 0xff9b, 0, 0, 0, 0, 0xc0a8, 1)), "64:ff9b::192.168.0.1 (NAT64)");
        assertFalse(Addresses.isInternal(v6(0, 0, 0, 0, 0, 0xffff, 0x0101, 0x0101)), "::ffff:1.1.1.1");
        assertTrue(Addresses.isInternal(v6(0x64, 0xff9b, 0, 0, 0, 0, 0x0101, 0x0101)), "64:ff9b::/96 is special-purpose whole");
        assertTrue(Addresses.isInternal(v6(0, 0, 0, 0, 0xffff, 0, 0x7f00, 1)), "::ffff:0:127.0.0.1 (IPv4-translated)");
        assertFalse(Addresses.isInternal(v6(0, 0, 0, 0, 0xffff, 0, 0x0101, 0x0101)), "::ffff:0:1.1.1.1");
        assertTrue(Addresses.isInternal(at("::ffff:127.0.0.1")), "as the JDK parses it (unwrapped to IPv4)");
    }

    /** Every block of IANA's IPv4 special-purpose registry, at its first and last address. */
    @Test
    void ianaSpecialPurposeIpv4_isInternal_atBothEndsOfEachBlock() throws Exception {
        for (String internal : new String[] {"192.0.0.0", "192.0.0.255", "192.0.2.0", "192.0.2.255", "192.31.196.1",
                "192.52.193.1", "192.88.99.0", "192.88.99.255", "192.175.48.1", "198.18.0.0", "198.19.255.255",
                "198.51.100.0", "198.51.100.255", "203.0.113.0", "203.0.113.255", "100.64.0.1", "240.0.0.0",
                "254.255.255.255", "255.255.255.255"}) {
            assertTrue(Addresses.isInternal(at(internal)), internal);
        }
        for (String open : new String[] {"191.255.255.255", "192.0.1.0", "192.0.3.0", "192.88.98.255", "192.88.100.0",
                "198.17.255.255", "198.20.0.0", "198.51.99.255", "198.51.101.0", "203.0.112.255", "203.0.114.0"}) {
            assertFalse(Addresses.isInternal(at(open)), open);
        }
    }

    @Test
    void ianaSpecialPurposeIpv6_isInternal() throws Exception {
        for (String internal : new String[] {"::", "::1", "64:ff9b:1::1", "100::1", "100:0:0:1::1", "2001::1",
                "2001:1ff:ffff::1", "2001:db8::1", "2001:db8:ffff::1", "2002::1", "2002:7f00:1::1", "2620:4f:8000::1",
                "3fff::1", "5f00::1", "fc00::1", "fdff::1", "fe80::1", "fec0::1", "ff02::1", "ff0e::1"}) {
            assertTrue(Addresses.isInternal(at(internal)), internal);
        }
        for (String open : new String[] {"2001:200::1", "2001:db9::1", "2003::1", "2606:4700::1111", "64:ff9c::1",
                "2620:4f:8001::1", "4000::1", "fbff::1", "fe00::1"}) {
            assertFalse(Addresses.isInternal(at(open)), open);
        }
    }

    @Test
    void isOwn_matchesTheMachinesAddresses_alsoWrittenAsIpv6() throws Exception {
        var own = java.util.List.of(at("93.184.215.14"), at("2606:4700::1111"));
        assertTrue(Addresses.isOwn(at("93.184.215.14"), own));
        assertTrue(Addresses.isOwn(v6(0, 0, 0, 0, 0, 0xffff, 0x5db8, 0xd70e), own), "::ffff:93.184.215.14");
        assertTrue(Addresses.isOwn(at("2606:4700::1111"), own));
        assertFalse(Addresses.isOwn(at("93.184.215.15"), own));
        assertFalse(Addresses.isOwn(at("2606:4700::1112"), own));
    }

    @Test
    void interfaceAddresses_includeLoopback() throws Exception {
        assertTrue(Addresses.isOwn(at("127.0.0.1"), Addresses.interfaceAddresses()));
    }

    @Test
    void firstInternal_findsOneAmongPublicOnes() throws Exception {
        InetAddress[] mixed = {at("93.184.215.14"), at("2606:4700::1111"), at("10.0.0.5")};
        assertEquals(at("10.0.0.5"), Addresses.firstInternal(mixed));
        assertNull(Addresses.firstInternal(new InetAddress[] {at("93.184.215.14"), at("2606:4700::1111")}));
    }

    @Test
    void ipv4Literal_onlyPlainDottedQuads() {
        assertEquals("127.0.0.1", Addresses.ipv4Literal("127.0.0.1").getHostAddress());
        assertEquals("10.20.30.40", Addresses.ipv4Literal("10.20.30.40").getHostAddress());
        for (String not : new String[] {"127.1", "2130706433", "0177.0.0.1", "0x7f.0.0.1", "256.0.0.1", "1.2.3.4.5",
                "1..2.3", "a.b.c.d", "1.2.3.", "registry.example.com", ""}) {
            assertNull(Addresses.ipv4Literal(not), not);
        }
    }
}
