package dev.hearth.controlplane;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP port the test owns on both loopback addresses, 127.0.0.1 and ::1, that counts every
 * connection made to it (and closes it at once, so a client that did connect fails fast instead
 * of waiting on a silent peer). Tests name it where Hearth must never make anyone connect.
 */
final class LoopbackListener implements AutoCloseable {

    private static final int MAX_ACCEPTS = 100;
    private final List<ServerSocket> sockets;
    private final AtomicInteger connections = new AtomicInteger();

    private LoopbackListener(List<ServerSocket> sockets) {
        this.sockets = sockets;
        for (ServerSocket socket : sockets) {
            Thread accepter = new Thread(() -> accept(socket), "loopback-listener-" + socket.getLocalPort());
            accepter.setDaemon(true);
            accepter.start();
        }
    }

    /** Binds one port on 127.0.0.1 and the same port on ::1 (a few tries, should ::1 have it taken). */
    static LoopbackListener open() throws IOException {
        for (int attempt = 0; attempt < 10; attempt++) {
            ServerSocket v4 = new ServerSocket();
            v4.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            ServerSocket v6 = new ServerSocket();
            try {
                v6.bind(new InetSocketAddress(InetAddress.getByName("::1"), v4.getLocalPort()));
                return new LoopbackListener(List.of(v4, v6));
            } catch (BindException taken) {
                v4.close();
                v6.close();
            }
        }
        throw new IOException("no port free on both 127.0.0.1 and ::1 after 10 tries");
    }

    private void accept(ServerSocket socket) {
        for (int i = 0; i < MAX_ACCEPTS && !socket.isClosed(); i++) {
            try (Socket connection = socket.accept()) {
                connections.incrementAndGet();
            } catch (IOException closed) {
                return;
            }
        }
    }

    int port() {
        return sockets.get(0).getLocalPort();
    }

    /** Connections accepted so far, on either address. */
    int connections() {
        return connections.get();
    }

    @Override
    public void close() throws IOException {
        for (ServerSocket socket : sockets) {
            socket.close();
        }
    }
}
