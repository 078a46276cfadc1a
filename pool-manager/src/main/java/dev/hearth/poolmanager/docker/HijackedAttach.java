package dev.hearth.poolmanager.docker;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One {@code POST /containers/{id}/attach} with the connection taken over ("hijacked") for the
 * container's standard streams, as {@code docker run -i} does it: stdin is written and then
 * half-closed, which is what gives the process its end of file, while stdout and stderr keep
 * arriving as the engine's multiplexed frames until the process ends.
 *
 * <p>Written against the Engine API directly because docker-java's transports never half-close
 * the hijacked connection, so a process reading stdin to its end waits forever
 * (docker-java issues 471, 1448, 1684). Reads and writes use the channel itself, whose read and
 * write sides lock separately, so the writer and the reader may run on two threads.
 */
final class HijackedAttach implements Closeable {

    private static final int MAX_HEAD_BYTES = 16 * 1024;
    private static final byte STDOUT = 1;
    private static final byte STDERR = 2;

    private final SocketChannel channel;

    private HijackedAttach(SocketChannel channel) {
        this.channel = channel;
    }

    /** Connects to the engine, asks to attach to all three streams and checks that the engine agreed. */
    static HijackedAttach open(URI dockerHost, String containerId) throws IOException {
        SocketChannel channel = switch (dockerHost.getScheme()) {
            case "unix" -> SocketChannel.open(UnixDomainSocketAddress.of(dockerHost.getPath()));
            case "tcp" -> SocketChannel.open(new InetSocketAddress(dockerHost.getHost(), dockerHost.getPort()));
            default -> throw new IOException("attaching over " + dockerHost.getScheme() + " is not supported: use unix:// or tcp://");
        };
        try {
            var attach = new HijackedAttach(channel);
            attach.request(containerId);
            return attach;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private void request(String containerId) throws IOException {
        String head = "POST /containers/" + containerId + "/attach?stream=1&stdin=1&stdout=1&stderr=1 HTTP/1.1\r\n"
                + "Host: docker\r\n"
                + "Content-Type: text/plain\r\n"
                + "Connection: Upgrade\r\n"
                + "Upgrade: tcp\r\n"
                + "\r\n";
        writeFully(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
        String response = readHead();
        String statusLine = response.lines().findFirst().orElse("");
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !(parts[1].equals("101") || parts[1].equals("200"))) {
            throw new IOException("the engine refused to attach: " + statusLine);
        }
    }

    /** The response head, up to its blank line, read a byte at a time so nothing of the stream after it is consumed. */
    private String readHead() throws IOException {
        var head = new StringBuilder();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (head.length() < MAX_HEAD_BYTES) {
            one.clear();
            if (channel.read(one) < 0) {
                throw new IOException("the engine closed the connection before answering the attach");
            }
            head.append((char) one.get(0));
            int n = head.length();
            if (n >= 4 && head.charAt(n - 4) == '\r' && head.charAt(n - 3) == '\n'
                    && head.charAt(n - 2) == '\r' && head.charAt(n - 1) == '\n') {
                return head.toString();
            }
        }
        throw new IOException("the engine's answer to the attach has no end of headers");
    }

    /** Writes the whole of stdin, then half-closes the connection: the process reads end of file. */
    void sendStdin(byte[] stdin) throws IOException {
        writeFully(ByteBuffer.wrap(stdin));
        channel.shutdownOutput();
    }

    /** Delivers stdout and stderr frames until the process ends and the engine closes the stream. */
    void pump(ContainerEngine.Streams output) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(8);
        while (true) {
            header.clear();
            if (!readFully(header)) {
                return;
            }
            byte stream = header.get(0);
            int size = header.getInt(4);
            if (size < 0) {
                throw new IOException("bad frame size " + size + " on the attach stream");
            }
            ByteBuffer payload = ByteBuffer.allocate(size);
            if (!readFully(payload)) {
                return;
            }
            if (stream == STDOUT) {
                output.stdout(payload.array());
            } else if (stream == STDERR) {
                output.stderr(payload.array());
            }
        }
    }

    /** Fills the buffer; false at a clean end of stream before its first byte. */
    private boolean readFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                if (buffer.position() == 0) {
                    return false;
                }
                throw new IOException("the attach stream ended inside a frame");
            }
        }
        return true;
    }

    private void writeFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
