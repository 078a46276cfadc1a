package dev.hearth.controlplane.async;

import dev.hearth.controlplane.fair.FairQueue;
import dev.hearth.controlplane.fair.FairScheduler;
import dev.hearth.poolmanager.net.Addresses;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts ended async invocations to their callback URLs, on its own workers, never the async
 * workers: posts wait in per-user lanes of a bounded {@link FairScheduler} (a post past a bound is
 * dropped, logged and noted, never waited for), so one user's callbacks to a URL that hangs
 * delay nobody's invocations and only their own share of the posts. Each post has a connect,
 * idle and total timeout. Unless private callbacks are allowed, a host is resolved once per
 * connection, here, and refused when any of its addresses is special-purpose
 * ({@link Addresses#isInternal}: every IANA special-purpose block, multicast, IPv4 written as IPv6)
 * or one of this machine's own interface addresses; the connection then goes to one of the
 * addresses that were checked, so a DNS answer that changes between check and connect
 * (rebinding) cannot reach an internal address. Redirects are not followed.
 */
final class CallbackClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CallbackClient.class);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(5);
    static final Duration TOTAL_TIMEOUT = Duration.ofSeconds(10);

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
    private final FairScheduler<String> posts;

    CallbackClient(boolean allowPrivate, AsyncSettings.Callbacks limits) {
        this(allowPrivate, InetAddress::getAllByName, Addresses::interfaceAddresses, limits);
    }

    /** @param own this machine's interface addresses, asked at each connection (interfaces come and go) */
    CallbackClient(boolean allowPrivate, Dns dns, Supplier<Collection<InetAddress>> own, AsyncSettings.Callbacks limits) {
        http.setFollowRedirects(false);
        http.setConnectTimeout(CONNECT_TIMEOUT.toMillis());
        http.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        if (!allowPrivate) {
            http.setSocketAddressResolver((host, port, context, promise) -> resolvePublic(dns, own, host, port, promise));
        }
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the callback HTTP client", e);
        }
        this.posts = new FairScheduler<>("callback", limits.workers(),
                new FairQueue.Limits(Math.max(1, limits.workers() / 2), limits.userQueue(), limits.queue()));
    }

    /**
     * Queues a post of {@code body} (read when the post starts) to {@code url} among {@code owner}'s
     * callbacks; {@code outcome} gets the answer's status, or why there was none. A post the queue
     * has no room for is dropped at once: {@code outcome} says so and this returns false.
     */
    boolean send(String owner, String url, String invocationId, Supplier<byte[]> body, Consumer<String> outcome) {
        boolean queued = posts.submit(owner, () -> {
            byte[] json = body.get();
            if (json != null) {
                outcome.accept(postQuietly(url, invocationId, json));
            }
        });
        if (!queued) {
            log.warn("callback of async invocation {} dropped: {}'s callback queue is full", invocationId, owner);
            outcome.accept("dropped: too many callbacks waiting");
        }
        return queued;
    }

    private String postQuietly(String url, String invocationId, byte[] json) {
        try {
            return Integer.toString(post(url, invocationId, json));
        } catch (RefusedAddress e) {
            return "refused: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "error: interrupted";
        } catch (TimeoutException e) {
            return "error: no answer within " + TOTAL_TIMEOUT.toSeconds() + " s";
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            log.debug("callback of async invocation {} to {} failed", invocationId, url, cause);
            return "error: " + inCallersTerms(cause);
        }
    }

    /** The record's owner reads this: what went wrong, never a library's class or text. */
    static String inCallersTerms(Throwable failure) {
        if (failure instanceof TimeoutException || failure instanceof java.net.http.HttpTimeoutException) {
            return "timed out";
        }
        if (failure instanceof java.net.UnknownHostException) {
            return "unknown host";
        }
        if (failure instanceof java.net.ConnectException) {
            return "could not connect";
        }
        if (failure instanceof javax.net.ssl.SSLException) {
            return "TLS handshake failed";
        }
        return "the connection failed";
    }

    /**
     * Posts {@code json} to {@code url}; returns the answer's status.
     *
     * @throws RefusedAddress the host resolves to an address callbacks may not reach
     */
    int post(String url, String invocationId, byte[] json) throws Exception {
        try {
            return http.POST(url)
                    .timeout(TOTAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
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

    static void resolvePublic(Dns dns, Supplier<Collection<InetAddress>> own, String host, int port,
                              Promise<List<InetSocketAddress>> promise) {
        InetAddress[] addresses;
        try {
            addresses = dns.resolve(host);
        } catch (UnknownHostException e) {
            promise.failed(e);
            return;
        }
        String refusal = refusal(host, addresses, own.get());
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

    /** Why {@code host} may not be called back at these addresses, or null when all are public and none is this machine's. */
    static String refusal(String host, InetAddress[] addresses, Collection<InetAddress> own) {
        InetAddress internal = Addresses.firstInternal(addresses);
        if (internal != null) {
            return host + " is a loopback, private, link-local or other special-purpose address (" + internal.getHostAddress()
                    + "); HEARTH_ASYNC_PRIVATE_CALLBACKS=true allows it";
        }
        for (InetAddress address : addresses) {
            if (Addresses.isOwn(address, own)) {
                return host + " is an address of this machine (" + address.getHostAddress()
                        + "); HEARTH_ASYNC_PRIVATE_CALLBACKS=true allows it";
            }
        }
        return null;
    }

    /** Stops posting: posts still waiting are dropped, running ones interrupted. */
    @Override
    public void close() {
        posts.close();
        try {
            http.stop();
        } catch (Exception e) {
            // stopping; nothing to do
        }
    }
}
