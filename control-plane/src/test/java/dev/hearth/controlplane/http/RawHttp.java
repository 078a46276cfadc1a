package dev.hearth.controlplane.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.controlplane.Api;
import dev.hearth.poolmanager.support.Threads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 written by hand over a loopback socket, for what a well-behaved client library will
 * not send: chunk sizes of our choosing, bodies that stop, bytes that dribble, and the fuzzer's
 * malformed requests. {@link #exchange} writes the body on its own thread, so an answer the
 * server sends before the body is through is read all the same (a server that refuses a body
 * may close before taking all of it).
 */
public final class RawHttp implements AutoCloseable {

    /** An answer: status, headers (lower-case names) and body; {@code status} -1 when the server closed without one. */
    public record Answer(int status, Map<String, String> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return Api.JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + text(), e);
            }
        }

        public String errorType() {
            return json().path("error").path("type").asText();
        }

        public boolean answered() {
            return status > 0;
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + text();
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawHttp(int port, Duration readTimeout) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout((int) readTimeout.toMillis());
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** The head of a request: request line, {@code Host}, the given headers, the blank line. */
    static byte[] head(String method, String path, String... headers) {
        var text = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            text.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        return text.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code body} as chunks of at most {@code chunkSize} bytes, then the last chunk. */
    static byte[] chunked(byte[] body, int chunkSize) {
        var out = new ByteArrayOutputStream(body.length + body.length / Math.max(1, chunkSize) * 12 + 16);
        for (int at = 0; at < body.length; at += chunkSize) {
            int n = Math.min(chunkSize, body.length - at);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, at, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** One request with a {@code Content-Length} body; the answer. */
    public static Answer send(int port, String method, String path, byte[] body, String... headers) throws IOException {
        String[] all = with(headers, "Content-Length", String.valueOf(body.length));
        try (var http = new RawHttp(port, Duration.ofSeconds(60))) {
            return http.exchange(concat(head(method, path, all), body));
        }
    }

    /** One request with {@code body} sent chunked; the answer. */
    static Answer sendChunked(int port, String method, String path, byte[] body, String... headers) throws IOException {
        String[] all = with(headers, "Transfer-Encoding", "chunked");
        try (var http = new RawHttp(port, Duration.ofSeconds(60))) {
            return http.exchange(concat(head(method, path, all), chunked(body, 64 * 1024)));
        }
    }

    /** Writes {@code request} on a thread of its own and reads one answer. */
    Answer exchange(byte[] request) throws IOException {
        Thread writer = Threads.daemonThread("raw-http-writer", () -> {
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // The server answered and closed before taking everything: the answer tells.
            }
        });
        writer.start();
        try {
            return read();
        } finally {
            writer.interrupt();
        }
    }

    /**
     * Sends {@code pieces} {@code pauseMillis} apart on a connection of its own, reads until the
     * server closes (or the read timeout), and parses what came: for requests no server should
     * keep a connection open after.
     */
    public static Answer sendUntilClosed(int port, Duration timeout, List<byte[]> pieces, int pauseMillis) throws IOException {
        try (var http = new RawHttp(port, timeout)) {
            try {
                for (int i = 0; i < pieces.size(); i++) {
                    if (i > 0) {
                        Thread.sleep(pauseMillis); // the pace of a slow client, not a wait for anything
                    }
                    http.write(pieces.get(i));
                }
            } catch (IOException e) {
                // The server may answer and close before reading all of a large or late request.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            return parse(http.readToClose());
        }
    }

    private byte[] readToClose() {
        var all = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                all.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // What arrived so far is the answer, or there was none.
        } catch (IOException e) {
            // A reset after the answer (the server closing on unread request bytes) keeps what came.
        }
        return all.toByteArray();
    }

    /** A whole answer as bytes: an interim one (100 Continue) skipped, a chunked body de-chunked. */
    static Answer parse(byte[] raw) {
        int end = indexOf(raw, 0, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (raw.length < 12 || end < 0 || !new String(raw, 0, 9, StandardCharsets.US_ASCII).startsWith("HTTP/1.")) {
            return new Answer(-1, Map.of(), new byte[0]);
        }
        String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].substring(9, 12));
        byte[] body = Arrays.copyOfRange(raw, end + 4, raw.length);
        if (status / 100 == 1) {
            return parse(body);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            header(headers, lines[i]);
        }
        if (headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).equals("chunked")) {
            body = dechunk(body);
        }
        return new Answer(status, headers, body);
    }

    private static byte[] dechunk(byte[] chunked) {
        var out = new ByteArrayOutputStream();
        int at = 0;
        while (at < chunked.length) {
            int lineEnd = indexOf(chunked, at, new byte[] {'\r', '\n'});
            if (lineEnd < 0) {
                break;
            }
            String size = new String(chunked, at, lineEnd - at, StandardCharsets.US_ASCII).split(";")[0].trim();
            int n = Integer.parseInt(size, 16);
            at = lineEnd + 2;
            if (n == 0) {
                break;
            }
            out.write(chunked, at, Math.min(n, chunked.length - at));
            at += n + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] data, int from, byte[] needle) {
        outer:
        for (int i = from; i + needle.length <= data.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Makes {@link #close} reset the connection (RST) instead of closing it in order (FIN). */
    void resetOnClose() throws IOException {
        socket.setSoLinger(true, 0);
    }

    void setReadTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one answer (its body by {@code Content-Length}); status -1 if the server closed first. */
    Answer read() throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            return new Answer(-1, Map.of(), new byte[0]);
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(); line != null && !line.isEmpty(); line = line()) {
            header(headers, line);
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        return new Answer(status, headers, in.readNBytes(length));
    }

    /** True once the server has closed the connection (end of stream or reset) within the read timeout. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static void header(Map<String, String> headers, String line) {
        int colon = line.indexOf(':');
        headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }

    private String line() throws IOException {
        var line = new ByteArrayOutputStream();
        int b;
        try {
            while ((b = in.read()) != -1 && b != '\n') {
                if (b != '\r') {
                    line.write(b);
                }
            }
        } catch (java.net.SocketException e) {
            b = -1;
        }
        if (b == -1 && line.size() == 0) {
            return null;
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static String[] with(String[] headers, String name, String value) {
        String[] all = Arrays.copyOf(headers, headers.length + 2);
        all[headers.length] = name;
        all[headers.length + 1] = value;
        return all;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
