package dev.hearth.controlplane.async;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.Promise;
import org.junit.jupiter.api.Test;

class CallbackAddressTest {

    static final AsyncSettings.Callbacks LIMITS = new AsyncSettings.Callbacks(2, 10, 20);

    static InetAddress[] addresses(String... literals) throws java.net.UnknownHostException {
        InetAddress[] all = new InetAddress[literals.length];
        for (int i = 0; i < literals.length; i++) {
            all[i] = InetAddress.getByName(literals[i]); // literals: no lookup
        }
        return all;
    }

    @Test
    void loopbackPrivateAndLinkLocalAddresses_areRefused() throws Exception {
        for (String host : new String[] {"127.0.0.1", "10.1.2.3", "192.168.0.10", "172.16.5.5",
                "169.254.169.254", "0.0.0.0", "::1", "fd00::1", "fe80::1", "224.0.0.1", "100.64.0.1",
                // Special-purpose blocks the first filter let through (issue 13, item 13).
                "100.127.255.254", "192.0.0.8", "198.18.0.1", "198.19.255.255", "240.0.0.1", "255.255.255.255",
                "192.0.2.1", "198.51.100.7", "203.0.113.9", "192.88.99.1", "2001:db8::1", "2002:c000:201::1",
                "2001::1", "64:ff9b::808:808", "100::1", "ff02::1"}) {
            assertNotNull(CallbackClient.refusal(host, addresses(host), List.of()), host);
        }
    }

    /** The machine's own addresses reach its services whatever their range: a stub interface list stands in for the host's. */
    @Test
    void anAddressOfThisMachine_isRefused_evenWhenPublic() throws Exception {
        var own = List.of(addresses("93.184.215.14", "2606:4700::1111"));
        String refusal = CallbackClient.refusal("mine.example", addresses("93.184.215.14"), own);
        assertNotNull(refusal);
        assertTrue(refusal.contains("this machine"), refusal);
        assertNotNull(CallbackClient.refusal("mine6.example", addresses("2606:4700::1111"), own));
        assertNotNull(CallbackClient.refusal("mapped.example", new InetAddress[] {java.net.Inet6Address.getByAddress(null,
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 93, (byte) 184, (byte) 215, 14}, -1)}, own),
                "its IPv4 address written as IPv4-mapped IPv6");
        assertNull(CallbackClient.refusal("other.example", addresses("93.184.215.15"), own));

        var resolved = new CompletableFuture<List<InetSocketAddress>>();
        CallbackClient.resolvePublic(h -> addresses("93.184.215.14"), () -> own, "mine.example", 443,
                Promise.from(resolved::complete, resolved::completeExceptionally));
        assertInstanceOf(CallbackClient.RefusedAddress.class, assertThrows(Exception.class, resolved::get).getCause());
    }

    @Test
    void aFailedPost_isToldInTheOwnersTerms_neverALibrarysText() {
        var failures = List.<Throwable>of(new java.net.ConnectException("Connection refused: /10.0.0.1:80 sun.nio.ch"),
                new java.net.UnknownHostException("nope.invalid: Name or service not known"),
                new javax.net.ssl.SSLHandshakeException("PKIX path building failed: sun.security.provider.certpath"),
                new java.io.EOFException("org.eclipse.jetty.io.EofException@1a2b"),
                new java.util.concurrent.TimeoutException());
        for (Throwable failure : failures) {
            String said = CallbackClient.inCallersTerms(failure);
            assertFalse(said.contains(".") || said.contains("@") || said.contains("/"), said);
        }
    }

    @Test
    void publicAddresses_areAllowed() throws Exception {
        assertNull(CallbackClient.refusal("example", addresses("93.184.215.14", "2606:4700::1111"), List.of()));
    }

    @Test
    void oneInternalAddressAmongPublicOnes_refusesTheHost() throws Exception {
        assertNotNull(CallbackClient.refusal("mixed", addresses("93.184.215.14", "10.0.0.5"), List.of()));
    }

    /** What a connection is given is the very answer that was checked: a later, different answer is never asked for. */
    @Test
    void resolution_connectsToTheCheckedAddresses_andAsksOnce() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        CallbackClient.Dns rebinding = host -> lookups.getAndIncrement() == 0
                ? addresses("93.184.215.14") : addresses("127.0.0.1");
        var resolved = new CompletableFuture<List<InetSocketAddress>>();
        CallbackClient.resolvePublic(rebinding, List::of, "rebind.example", 443, Promise.from(resolved::complete, resolved::completeExceptionally));
        assertEquals(List.of(new InetSocketAddress(InetAddress.getByName("93.184.215.14"), 443)), resolved.get());
        assertEquals(1, lookups.get());

        var second = new CompletableFuture<List<InetSocketAddress>>();
        CallbackClient.resolvePublic(rebinding, List::of, "rebind.example", 443, Promise.from(second::complete, second::completeExceptionally));
        Throwable refused = assertThrows(Exception.class, second::get).getCause();
        assertInstanceOf(CallbackClient.RefusedAddress.class, refused, "the next connection's answer is checked again");
    }

    @Test
    void post_toALoopbackServer_isRefusedBeforeAnyByteIsSent_unlessAllowed() throws Exception {
        AtomicInteger received = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            received.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        String url = "http://localhost:" + server.getAddress().getPort() + "/hook";
        try (var guarded = new CallbackClient(false, LIMITS); var open = new CallbackClient(true, LIMITS)) {
            CallbackClient.RefusedAddress refused = assertThrows(CallbackClient.RefusedAddress.class,
                    () -> guarded.post(url, "id-1", "{}".getBytes()));
            assertTrue(refused.getMessage().contains("HEARTH_ASYNC_PRIVATE_CALLBACKS"), refused::getMessage);
            assertEquals(0, received.get(), "nothing reached the internal server");
            assertEquals(204, open.post(url, "id-2", "{}".getBytes()));
            assertEquals(1, received.get());
        } finally {
            server.stop(0);
        }
    }

    /** Posts to a URL that hangs run on the callback pool: sending never waits, and past the user's queue a post is dropped and noted. */
    @Test
    void send_toAHangingUrl_neverBlocks_andDropsPastTheUsersQueue() throws Exception {
        try (var hanging = new java.net.ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
             var client = new CallbackClient(true, new AsyncSettings.Callbacks(2, 2, 20))) {
            String url = "http://127.0.0.1:" + hanging.getLocalPort() + "/hook";
            var outcomes = new java.util.concurrent.ConcurrentLinkedQueue<String>();
            long started = System.nanoTime();
            boolean[] queued = new boolean[4];
            queued[0] = client.send("ann", url, "id-0", "{}"::getBytes, outcomes::add);
            hanging.setSoTimeout(5_000);
            var first = hanging.accept(); // the first post is on the wire, and hangs
            for (int i = 1; i < 4; i++) {
                queued[i] = client.send("ann", url, "id-" + i, "{}"::getBytes, outcomes::add);
            }
            assertTrue(java.time.Duration.ofNanos(System.nanoTime() - started).toMillis() < 2_000, "sending does not wait for posts");
            // One running (half of 2 workers), two waiting: the fourth finds ann's queue full.
            assertTrue(queued[0] && queued[1] && queued[2], java.util.Arrays.toString(queued));
            assertTrue(!queued[3], "the fourth is dropped");
            assertEquals(List.of("dropped: too many callbacks waiting"), List.copyOf(outcomes));
            first.close();
        }
    }
}
