package dev.hearth.poolmanager.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The one place that decides whether an address is internal: somewhere a connection Hearth makes,
 * or makes a daemon make, on a tenant's behalf may not go unless the operator allows private
 * destinations. Async callbacks and image registries both ask here.
 */
public final class Addresses {

    private Addresses() {}

    /**
     * True for loopback, unspecified ({@code 0.0.0.0/8}, {@code ::}), private (RFC 1918 and CGNAT
     * {@code 100.64.0.0/10}), link-local ({@code 169.254.0.0/16}, {@code fe80::/10}), IPv6 site-local
     * ({@code fec0::/10}) and unique-local ({@code fc00::/7}), multicast, and reserved/broadcast
     * ({@code 240.0.0.0/4}) addresses, and for an IPv4 address of any of those kinds written as IPv6
     * (IPv4-mapped {@code ::ffff:a.b.c.d}, IPv4-compatible {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::a.b.c.d}),
     * which reach the same IPv4 host.
     */
    public static boolean isInternal(InetAddress address) {
        byte[] raw = address.getAddress();
        if (raw.length == 16) {
            byte[] embedded = embeddedIpv4(raw);
            return embedded != null ? isInternalIpv4(embedded) : isInternalIpv6(address, raw);
        }
        return isInternalIpv4(raw);
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

    private static boolean isInternalIpv4(byte[] raw) {
        int a = raw[0] & 0xff;
        int b = raw[1] & 0xff;
        return a == 0 || a == 10 || a == 127
                || (a == 100 && (b & 0xc0) == 64)
                || (a == 169 && b == 254)
                || (a == 172 && (b & 0xf0) == 16)
                || (a == 192 && b == 168)
                || a >= 224; // multicast 224/4, reserved 240/4 and broadcast
    }

    private static boolean isInternalIpv6(InetAddress address, byte[] raw) {
        return address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()
                || (raw[0] & 0xfe) == 0xfc;
    }

    /**
     * The IPv4 address inside an IPv6 one that carries it ({@code ::ffff:0:0/96}, {@code ::/96},
     * {@code 64:ff9b::/96}), or null. {@code ::} and {@code ::1} come out as {@code 0.0.0.0} and
     * {@code 0.0.0.1}, both internal, as they should be.
     */
    private static byte[] embeddedIpv4(byte[] raw) {
        boolean nat64 = raw[0] == 0 && raw[1] == 0x64 && raw[2] == (byte) 0xff && raw[3] == (byte) 0x9b;
        for (int i = nat64 ? 4 : 0; i < 10; i++) {
            if (raw[i] != 0) {
                return null;
            }
        }
        boolean mapped = raw[10] == (byte) 0xff && raw[11] == (byte) 0xff;
        boolean zero = raw[10] == 0 && raw[11] == 0;
        if (!(mapped || zero) || (nat64 && !zero)) {
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
