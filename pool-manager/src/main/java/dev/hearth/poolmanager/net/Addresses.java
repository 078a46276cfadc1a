package dev.hearth.poolmanager.net;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * The one place that decides whether an address is internal: somewhere a connection Hearth makes,
 * or makes a daemon make, on a tenant's behalf may not go unless the operator allows private
 * destinations. Async callbacks and image registries both ask here. The rule is every block of
 * IANA's IPv4 and IPv6 special-purpose address registries (whether the registry calls it globally
 * reachable or not: none is a place a tenant has any business sending Hearth), plus multicast;
 * {@link #isOwn} adds the machine's own interface addresses, which reach the host's services
 * whatever range they are in.
 */
public final class Addresses {

    private Addresses() {}

    /** A CIDR block, matched on raw address bytes. */
    private record Block(byte[] prefix, int bits) {
        boolean contains(byte[] raw) {
            if (raw.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (raw[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (raw[full] & mask) == (prefix[full] & mask);
        }
    }

    /** IANA IPv4 special-purpose registry (RFC 6890 and updates), multicast and the limited broadcast. */
    private static final List<Block> IPV4 = blocks(
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.0.2.0/24", "192.31.196.0/24", "192.52.193.0/24", "192.88.99.0/24",
            "192.168.0.0/16", "192.175.48.0/24", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
            "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32");

    /**
     * IANA IPv6 special-purpose registry, multicast and the deprecated site-local block. The
     * IPv4-mapped ({@code ::ffff:0:0/96}), IPv4-translated ({@code ::ffff:0:0:0/96}) and
     * IPv4-compatible ({@code ::/96}) forms are judged by the IPv4 address they carry instead.
     */
    private static final List<Block> IPV6 = blocks(
            "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "100:0:0:1::/64", "2001::/23", "2001:db8::/32",
            "2002::/16", "2620:4f:8000::/48", "3fff::/20", "5f00::/16", "fc00::/7", "fe80::/10", "fec0::/10",
            "ff00::/8");

    /**
     * True for every address in IANA's special-purpose registries (loopback, unspecified, private,
     * shared/CGNAT, link-local, documentation, benchmarking, 6to4, Teredo, NAT64, ORCHID, unique-local
     * and the rest), multicast and broadcast, and for an IPv4 address of any of those kinds written as
     * IPv6 (IPv4-mapped {@code ::ffff:a.b.c.d}, IPv4-compatible {@code ::a.b.c.d}), which reach the
     * same IPv4 host.
     */
    public static boolean isInternal(InetAddress address) {
        byte[] raw = address.getAddress();
        if (raw.length == 16) {
            byte[] embedded = embeddedIpv4(raw);
            return embedded != null ? in(IPV4, embedded) : in(IPV6, raw);
        }
        return in(IPV4, raw);
    }

    /** The first internal address among {@code addresses}, or null when every one is public. */
    public static InetAddress firstInternal(InetAddress[] addresses) {
        for (InetAddress address : addresses) {
            if (isInternal(address)) {
                return address;
            }
        }
        return null;
    }

    /**
     * True when {@code address} is one of {@code own} (the machine's interface addresses, see
     * {@link #interfaceAddresses}), an IPv4 one also when written as IPv6.
     */
    public static boolean isOwn(InetAddress address, Collection<InetAddress> own) {
        InetAddress plain = unwrap(address);
        for (InetAddress mine : own) {
            if (Arrays.equals(plain.getAddress(), unwrap(mine).getAddress())) {
                return true;
            }
        }
        return false;
    }

    /** Every address of every interface of this machine, up or down; empty when the JDK cannot list them. */
    public static List<InetAddress> interfaceAddresses() {
        var all = new ArrayList<InetAddress>();
        try {
            var interfaces = NetworkInterface.getNetworkInterfaces();
            while (interfaces != null && interfaces.hasMoreElements()) {
                all.addAll(Collections.list(interfaces.nextElement().getInetAddresses()));
            }
        } catch (SocketException e) {
            // Callers refuse special-purpose ranges anyway; a host without a listing has no more to add.
        }
        return all;
    }

    private static InetAddress unwrap(InetAddress address) {
        byte[] raw = address.getAddress();
        byte[] embedded = raw.length == 16 ? embeddedIpv4(raw) : null;
        if (embedded == null) {
            return address;
        }
        try {
            return InetAddress.getByAddress(embedded);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an address", e);
        }
    }

    private static boolean in(List<Block> table, byte[] raw) {
        for (Block block : table) {
            if (block.contains(raw)) {
                return true;
            }
        }
        return false;
    }

    private static List<Block> blocks(String... cidrs) {
        var table = new ArrayList<Block>(cidrs.length);
        for (String cidr : cidrs) {
            int slash = cidr.indexOf('/');
            try {
                // Literals only: the JDK parses them without any lookup.
                table.add(new Block(InetAddress.getByName(cidr.substring(0, slash)).getAddress(),
                        Integer.parseInt(cidr.substring(slash + 1))));
            } catch (UnknownHostException e) {
                throw new IllegalStateException("bad block " + cidr, e);
            }
        }
        return List.copyOf(table);
    }

    /**
     * The IPv4 address inside an IPv6 one that carries it: IPv4-mapped {@code ::ffff:0:0/96},
     * IPv4-translated {@code ::ffff:0:0:0/96} and IPv4-compatible {@code ::/96}; or null.
     * {@code ::} and {@code ::1} come out as {@code 0.0.0.0} and {@code 0.0.0.1}, both internal, as
     * they should be.
     */
    private static byte[] embeddedIpv4(byte[] raw) {
        for (int i = 0; i < 8; i++) {
            if (raw[i] != 0) {
                return null;
            }
        }
        boolean mapped = raw[8] == 0 && raw[9] == 0 && raw[10] == (byte) 0xff && raw[11] == (byte) 0xff;
        boolean translated = raw[8] == (byte) 0xff && raw[9] == (byte) 0xff && raw[10] == 0 && raw[11] == 0;
        boolean compatible = raw[8] == 0 && raw[9] == 0 && raw[10] == 0 && raw[11] == 0;
        if (!(mapped || translated || compatible)) {
            return null;
        }
        return new byte[] {raw[12], raw[13], raw[14], raw[15]};
    }

    /** An IPv4 literal's address without any lookup, or null when {@code text} is not a dotted quad. */
    public static InetAddress ipv4Literal(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] raw = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (part.length() > 1 && part.charAt(0) == '0')) {
                return null;
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                return null;
            }
            raw[i] = (byte) value;
        }
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an address", e);
        }
    }
}
