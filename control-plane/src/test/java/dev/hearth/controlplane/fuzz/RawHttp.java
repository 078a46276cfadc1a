package dev.hearth.controlplane.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Sends request bytes exactly as given (no client library would send most of what the fuzzer
 * does) to a loopback port, one connection per request, and reads the answer until the server
 * closes. Only what the checks need is parsed: the status line, the headers as text, the body
 * (de-chunked when the answer is chunked).
 */
final class RawHttp {

    /** One answer; {@code status} is -1 when the server closed or timed out without one. */
    record Answer(int status, String head, byte[] body) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        boolean answered() {
            return status > 0;
        }
    }

    private final int port;
    private final int timeoutMillis;

    RawHttp(int port, int timeoutMillis) {
        this.port = port;
        this.timeoutMillis = timeoutMillis;
    }

    Answer send(byte[] request) throws IOException {
        return send(java.util.List.of(request), 0);
    }

    /** Sends the pieces {@code pauseMillis} apart, then reads the answer. */
    Answer send(java.util.List<byte[]> pieces, int pauseMillis) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            try {
                for (int i = 0; i < pieces.size(); i++) {
                    if (i > 0) {
                        Thread.sleep(pauseMillis);
                    }
                    socket.getOutputStream().write(pieces.get(i));
                    socket.getOutputStream().flush();
                }
            } catch (IOException e) {
                // The server may answer and close before reading all of a large or late request.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            return parse(readAll(socket.getInputStream()));
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        var out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // What arrived so far is the answer, or there was none.
        } catch (IOException e) {
            // A reset after the answer (the server closing on unread request bytes) keeps what came.
        }
        return out.toByteArray();
    }

    static Answer parse(byte[] raw) {
        int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (raw.length < 12 || end < 0 || !new String(raw, 0, 9, StandardCharsets.US_ASCII).startsWith("HTTP/1.")) {
            return new Answer(-1, new String(raw, StandardCharsets.ISO_8859_1), new byte[0]);
        }
        String head = new String(raw, 0, end, StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(head.substring(9, 12));
        if (status / 100 == 1) {
            // An interim answer (100 Continue): the real one follows it.
            return parse(Arrays.copyOfRange(raw, end + 4, raw.length));
        }
        byte[] body = Arrays.copyOfRange(raw, end + 4, raw.length);
        if (head.toLowerCase(Locale.ROOT).contains("\r\ntransfer-encoding: chunked")) {
            body = dechunk(body);
        }
        return new Answer(status, head, body);
    }

    private static byte[] dechunk(byte[] chunked) {
        var out = new ByteArrayOutputStream();
        int at = 0;
        while (at < chunked.length) {
            int lineEnd = indexOf(Arrays.copyOfRange(chunked, at, chunked.length), new byte[] {'\r', '\n'});
            if (lineEnd < 0) {
                break;
            }
            String size = new String(chunked, at, lineEnd, StandardCharsets.US_ASCII).split(";")[0].trim();
            int n = Integer.parseInt(size, 16);
            at += lineEnd + 2;
            if (n == 0) {
                break;
            }
            out.write(chunked, at, Math.min(n, chunked.length - at));
            at += n + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] data, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= data.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
