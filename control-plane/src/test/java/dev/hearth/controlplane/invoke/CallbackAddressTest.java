package dev.hearth.controlplane.invoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
                "169.254.169.254", "0.0.0.0", "::1", "fd00::1", "fe80::1", "224.0.0.1", "100.64.0.1"}) {
            assertNotNull(CallbackClient.refusal(host, addresses(host)), host);
        }
    }

    @Test
    void publicAddresses_areAllowed() throws Exception {
        assertNull(CallbackClient.refusal("example", addresses("93.184.215.14", "2606:4700::1111")));
    }

    @Test
    void oneInternalAddressAmongPublicOnes_refusesTheHost() throws Exception {
        assertNotNull(CallbackClient.refusal("mixed", addresses("93.184.215.14", "10.0.0.5")));
    }

    /** What a connection is given is the very answer that was checked: a later, different answer is never asked for. */
    @Test
    void resolution_connectsToTheCheckedAddresses_andAsksOnce() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        CallbackClient.Dns rebinding = host -> lookups.getAndIncrement() == 0
                ? addresses("93.184.215.14") : addresses("127.0.0.1");
        var resolved = new CompletableFuture<List<InetSocketAddress>>();
        CallbackClient.resolvePublic(rebinding, "rebind.example", 443, Promise.from(resolved::complete, resolved::completeExceptionally));
        assertEquals(List.of(new InetSocketAddress(InetAddress.getByName("93.184.215.14"), 443)), resolved.get());
        assertEquals(1, lookups.get());

        var second = new CompletableFuture<List<InetSocketAddress>>();
        CallbackClient.resolvePublic(rebinding, "rebind.example", 443, Promise.from(second::complete, second::completeExceptionally));
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
        try (var guarded = new CallbackClient(false); var open = new CallbackClient(true)) {
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
}
