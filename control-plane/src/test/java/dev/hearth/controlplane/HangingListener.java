package dev.hearth.controlplane;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback port that accepts connections and never answers: a callback URL that hangs. It holds
 * at most {@value #MAX_HELD} connections open (closing them all at the end) and counts them.
 */
final class HangingListener implements AutoCloseable {

    private static final int MAX_HELD = 200;
    private final ServerSocket socket;
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    HangingListener() throws IOException {
        socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        Thread accepter = new Thread(this::accept, "hanging-listener");
        accepter.setDaemon(true);
        accepter.start();
    }

    private void accept() {
        while (held.size() < MAX_HELD && !socket.isClosed()) {
            try {
                held.add(socket.accept());
            } catch (IOException closed) {
                return;
            }
        }
    }

    String url() {
        return "http://127.0.0.1:" + socket.getLocalPort() + "/hook";
    }

    int connections() {
        return held.size();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket s : held) {
            s.close();
        }
    }
}
