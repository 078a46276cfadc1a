package dev.hearth.controlplane.invoke;

import dev.hearth.poolmanager.net.Addresses;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.Promise;

/**
 * Posts ended async invocations to their callback URLs. Unless private callbacks are allowed, a
 * host is resolved once per connection, here, and refused when any of its addresses is internal
 * ({@link Addresses#isInternal}: loopback, private, link-local, unique-local, multicast, unspecified,
 * or one of those written as IPv6); the connection then goes to one of
 * the addresses that were checked, so a DNS answer that changes between check and connect
 * (rebinding) cannot reach an internal address. Redirects are not followed.
 */
final class CallbackClient implements AutoCloseable {

    /** A host that resolves to an address callbacks may not reach. */
    static final class RefusedAddress extends UnknownHostException {
        RefusedAddress(String message) {
            super(message);
        }
    }

    /** Name resolution, replaceable in tests. */
    @FunctionalInterface
    interface Dns {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final HttpClient http = new HttpClient();

    CallbackClient(boolean allowPrivate) {
        this(allowPrivate, InetAddress::getAllByName);
    }

    CallbackClient(boolean allowPrivate, Dns dns) {
        http.setFollowRedirects(false);
        http.setConnectTimeout(5_000);
        if (!allowPrivate) {
            http.setSocketAddressResolver((host, port, context, promise) -> resolvePublic(dns, host, port, promise));
        }
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the callback HTTP client", e);
        }
    }

    /**
     * Posts {@code json} to {@code url}; returns the answer's status.
     *
     * @throws RefusedAddress the host resolves to an address callbacks may not reach
     */
    int post(String url, String invocationId, byte[] json) throws Exception {
        try {
            return http.POST(url)
                    .timeout(10, TimeUnit.SECONDS)
                    .headers(h -> h.put("X-Hearth-Invocation-Id", invocationId))
                    .body(new BytesRequestContent("application/json", json))
                    .send()
                    .getStatus();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause != null && !(cause instanceof RefusedAddress)) {
                cause = cause.getCause();
            }
            throw cause instanceof RefusedAddress refused ? refused : e;
        }
    }

    static void resolvePublic(Dns dns, String host, int port, Promise<List<InetSocketAddress>> promise) {
        InetAddress[] addresses;
        try {
            addresses = dns.resolve(host);
        } catch (UnknownHostException e) {
            promise.failed(e);
            return;
        }
        String refusal = refusal(host, addresses);
        if (refusal != null) {
            promise.failed(new RefusedAddress(refusal));
            return;
        }
        List<InetSocketAddress> checked = new ArrayList<>(addresses.length);
        for (InetAddress address : addresses) {
            checked.add(new InetSocketAddress(address, port));
        }
        promise.succeeded(checked);
    }

    /** Why {@code host} may not be called back at these addresses, or null when all are public. */
    static String refusal(String host, InetAddress[] addresses) {
        InetAddress internal = Addresses.firstInternal(addresses);
        return internal == null ? null : host + " is a loopback, private or link-local address (" + internal.getHostAddress()
                + "); HEARTH_ASYNC_PRIVATE_CALLBACKS=true allows it";
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            // stopping; nothing to do
        }
    }
}
