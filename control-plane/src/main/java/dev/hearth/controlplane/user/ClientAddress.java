package dev.hearth.controlplane.user;

import dev.hearth.poolmanager.net.Addresses;
import io.undertow.server.HttpServerExchange;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.Set;

/**
 * The key a client is throttled and admitted by: the socket's peer address, or, only when that
 * peer is a configured trusted proxy, the nearest untrusted address in {@code X-Forwarded-For}.
 * An IPv6 client is keyed by its /64, since one host is routinely given a whole /64 and could
 * otherwise take a fresh address for every guess.
 */
final class ClientAddress {

    private final Set<InetAddress> trustedProxies;

    ClientAddress(Set<InetAddress> trustedProxies) {
        this.trustedProxies = Set.copyOf(trustedProxies);
    }

    String of(HttpServerExchange exchange) {
        InetSocketAddress peer = exchange.getConnection().getPeerAddress(InetSocketAddress.class);
        if (peer == null || peer.getAddress() == null) {
            return "unknown";
        }
        return key(peer.getAddress(), exchange.getRequestHeaders().get("X-Forwarded-For") == null ? null
                : String.join(",", exchange.getRequestHeaders().get("X-Forwarded-For")));
    }

    /** {@code forwardedFor}: the header's values joined by commas, or null. */
    String key(InetAddress peer, String forwardedFor) {
        InetAddress client = peer;
        if (forwardedFor != null && trustedProxies.contains(peer)) {
            // Each proxy appends the address it saw; read from the right and stop at the first one no trusted proxy vouches for.
            String[] hops = forwardedFor.split(",", 64);
            for (int i = hops.length - 1; i >= 0; i--) {
                InetAddress hop = literal(hops[i].trim());
                if (hop == null) {
                    break; // garbage from the client's side: keep the last address a trusted proxy gave
                }
                client = hop;
                if (!trustedProxies.contains(hop)) {
                    break;
                }
            }
        }
        return keyOf(client);
    }

    static String keyOf(InetAddress address) {
        byte[] raw = address.getAddress();
        if (raw.length == 4) {
            return address.getHostAddress();
        }
        return HexFormat.of().formatHex(raw, 0, 8) + "::/64";
    }

    /** An IP literal, parsed without any name lookup; null for anything else. */
    static InetAddress literal(String text) {
        if (text.isEmpty() || text.length() > 45) {
            return null;
        }
        InetAddress v4 = Addresses.ipv4Literal(text);
        if (v4 != null) {
            return v4;
        }
        // With a ':' in it, InetAddress parses an IPv6 literal and never resolves a name.
        if (text.indexOf(':') < 0 || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            return null;
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
