package dev.hearth.runtime.java;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Owns one client connection's byte streams: reads HTTP/1.x requests from it (request line,
 * headers, Content-Length bodies; no chunked bodies) and writes responses, always with a
 * Content-Length so the connection can be kept alive.
 */
final class HttpConnection {

    static final int MAX_REQUEST_LINE = 8 * 1024;
    static final int MAX_HEADER_BYTES = 64 * 1024;
    static final int MAX_HEADERS = 100;
    /** Empty lines tolerated before a request line (RFC 9112 section 2.2 asks to ignore at least one). */
    private static final int MAX_LEADING_EMPTY_LINES = 8;
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private final InputStream in;
    private final OutputStream out;
    private final int maxBody;

    HttpConnection(InputStream in, OutputStream out, int maxBody) {
        this.in = new BufferedInputStream(in, 16 * 1024);
        this.out = new BufferedOutputStream(out, 16 * 1024);
        this.maxBody = maxBody;
    }

    /**
     * Reads the next request.
     *
     * @return the request, or null when the client closed the connection between requests
     * @throws HttpException for a malformed or unsupported request (answer it, then close)
     * @throws IOException   when the connection fails or closes in the middle of a request
     */
    HttpRequest read() throws IOException, HttpException {
        String line = readLine(MAX_REQUEST_LINE, 414, null, true);
        for (int empty = 0; line != null && line.isEmpty(); empty++) {
            if (empty == MAX_LEADING_EMPTY_LINES) {
                throw new HttpException(400, "empty lines instead of a request line", null);
            }
            line = readLine(MAX_REQUEST_LINE, 414, null, true);
        }
        if (line == null) {
            return null;
        }
        int first = line.indexOf(' ');
        int second = first < 0 ? -1 : line.indexOf(' ', first + 1);
        if (first <= 0 || second < 0 || second == first + 1 || line.indexOf(' ', second + 1) >= 0) {
            throw new HttpException(400, "malformed request line", null);
        }
        String method = line.substring(0, first);
        String target = line.substring(first + 1, second);
        String version = line.substring(second + 1);
        if (!HttpGrammar.isToken(method)) {
            throw new HttpException(400, "malformed method", null);
        }
        String path = HttpGrammar.path(target);
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            boolean wellFormed = version.length() == 8 && version.startsWith("HTTP/") && Character.isDigit(version.charAt(5))
                    && version.charAt(6) == '.' && Character.isDigit(version.charAt(7));
            throw new HttpException(wellFormed ? 505 : 400, "unsupported protocol version " + version, path);
        }

        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        String contentLength = null;
        int headerBytes = 0;
        int count = 0;
        while (true) {
            String header = readLine(MAX_HEADER_BYTES, 431, path, false);
            if (header.isEmpty()) {
                break;
            }
            headerBytes += header.length() + 2;
            if (++count > MAX_HEADERS || headerBytes > MAX_HEADER_BYTES) {
                throw new HttpException(431, "request header fields too large", path);
            }
            char c = header.charAt(0);
            if (c == ' ' || c == '\t') {
                throw new HttpException(400, "obsolete header line folding", path);
            }
            int colon = header.indexOf(':');
            String name = colon > 0 ? header.substring(0, colon) : "";
            if (!HttpGrammar.isToken(name)) {
                throw new HttpException(400, "malformed header line", path);
            }
            String value = HttpGrammar.trimOws(header.substring(colon + 1));
            if (name.equalsIgnoreCase("Content-Length")) {
                contentLength = contentLength == null ? value : contentLength + "," + value;
            } else {
                headers.merge(name, value, (old, added) -> old + ", " + added);
            }
        }

        boolean keepAlive = HttpGrammar.keepAlive(version, headers.get("Connection"));
        if (headers.containsKey("Transfer-Encoding")) {
            if (contentLength != null) {
                throw new HttpException(400, "both Transfer-Encoding and Content-Length", path);
            }
            throw new HttpException(411, "chunked or encoded bodies are not supported: send a Content-Length", path);
        }
        long length = contentLength == null ? 0 : HttpGrammar.contentLength(contentLength, path);
        if (contentLength != null) {
            headers.put("Content-Length", Long.toString(length));
        }
        boolean expectContinue = "100-continue".equalsIgnoreCase(headers.get("Expect"));

        if (length > maxBody) {
            if (expectContinue) {
                // The client waits before sending the body: refuse without reading it, then close.
                return new HttpRequest(method, path, version, headers, new byte[0], true, false);
            }
            in.skipNBytes(length);
            return new HttpRequest(method, path, version, headers, new byte[0], true, keepAlive);
        }
        if (expectContinue && length > 0) {
            out.write(CONTINUE);
            out.flush();
        }
        byte[] body = in.readNBytes((int) length);
        if (body.length < length) {
            throw new EOFException("connection closed after " + body.length + " of " + length + " body bytes");
        }
        return new HttpRequest(method, path, version, headers, body, false, keepAlive);
    }

    /**
     * Writes one response. {@code keepAlive} false adds {@code Connection: close} (the caller
     * then closes); an HTTP/1.0 client that asked to keep the connection is told it is kept.
     */
    void write(HttpResponse response, boolean keepAlive, boolean http10, boolean headRequest) throws IOException {
        int length = response.contentLength();
        StringBuilder head = new StringBuilder(160);
        head.append("HTTP/1.1 ").append(response.status()).append(' ').append(HttpGrammar.reason(response.status())).append("\r\n");
        head.append("Content-Type: application/json\r\n");
        response.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Content-Length: ").append(length).append("\r\n");
        if (!keepAlive) {
            head.append("Connection: close\r\n");
        } else if (http10) {
            head.append("Connection: keep-alive\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!headRequest) {
            for (byte[] part : response.body()) {
                out.write(part);
            }
        }
        out.flush();
    }

    /**
     * One line without its CRLF (a bare LF is accepted too), decoded as ISO-8859-1.
     * Returns null at end of stream before the first byte only when {@code eofAllowed}.
     */
    private String readLine(int limit, int tooLongStatus, String path, boolean eofAllowed) throws IOException, HttpException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (eofAllowed && line.size() == 0) {
                    return null;
                }
                throw new EOFException("connection closed in the middle of a request head");
            }
            if (b == '\n') {
                break;
            }
            if (line.size() >= limit) {
                throw new HttpException(tooLongStatus, tooLongStatus == 414 ? "request line too long" : "header line too long", path);
            }
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        int end = bytes.length;
        if (end > 0 && bytes[end - 1] == '\r') {
            end--;
        }
        for (int i = 0; i < end; i++) {
            if (bytes[i] == '\r' || bytes[i] == 0) {
                throw new HttpException(400, "stray CR or NUL in the request head", path);
            }
        }
        return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
    }
}
