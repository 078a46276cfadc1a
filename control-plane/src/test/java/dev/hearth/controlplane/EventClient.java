package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events client for integration tests over real {@code curl -N} (no buffering): it
 * reads the answer's head, then parses the body as a browser's EventSource does (lines end at CR,
 * LF or CRLF; {@code field: value}, one leading space dropped; a blank line dispatches), handing
 * each event over as it arrives. An answer that is not a stream (a JSON error) is read whole.
 */
final class EventClient implements AutoCloseable {

    /** One dispatched event; comments ({@code : keep-alive}) are counted, not dispatched. */
    record Event(String name, String data) {
        JsonNode json() {
            try {
                return Api.JSON.readTree(data);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + data, e);
            }
        }

        @Override
        public String toString() {
            return name + " " + data;
        }
    }

    /** What {@link #next} hands over when the stream has ended (curl exited). */
    private static final Event CLOSED = new Event("(closed)", "");

    private final Process curl;
    private final int status;
    private final String contentType;
    private final Lines lines;
    private final InputStream in;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private volatile int comments;
    private byte[] body;

    private final ByteArrayOutputStream raw;

    private EventClient(Process curl, int status, String contentType, InputStream in, Lines lines, ByteArrayOutputStream raw) {
        this.curl = curl;
        this.lines = lines;
        this.raw = raw;
        this.status = status;
        this.contentType = contentType;
        this.in = in;
    }

    /** {@code curl -sS -N -i} on {@code path} with the token; returns once the answer's head has arrived. */
    static EventClient open(int port, String path, String token) throws IOException {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-N", "-i", "--max-time", "600"));
        if (token != null) {
            command.addAll(List.of("-H", "Authorization: Bearer " + token));
        }
        command.add("http://127.0.0.1:" + port + path);
        Process curl = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        InputStream in = curl.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        Lines lines = new Lines(in, head, false);
        String statusLine = lines.next();
        if (statusLine == null) {
            fail("curl printed nothing for " + path);
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        String contentType = null;
        for (String header = lines.next(); header != null && !header.isEmpty(); header = lines.next()) {
            if (header.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
                contentType = header.substring("content-type:".length()).strip();
            }
        }
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        EventClient client = new EventClient(curl, status, contentType, in, new Lines(in, raw, true), raw);
        if (status == 200 && contentType != null && contentType.startsWith("text/event-stream")) {
            Thread reader = new Thread(client::parse, "sse-client");
            reader.setDaemon(true);
            reader.start();
        } else {
            client.body = in.readAllBytes();
        }
        return client;
    }

    int status() {
        return status;
    }

    String contentType() {
        return contentType;
    }

    /** The body of an answer that was not a stream. */
    JsonNode json() throws IOException {
        return Api.JSON.readTree(body);
    }

    /** The next event, waiting for it up to a minute (a bound for a test that went wrong, not a timing). */
    Event next() throws InterruptedException {
        Event event = events.poll(120, TimeUnit.SECONDS);
        if (event == null) {
            fail("no event within two minutes; so far: " + raw());
        }
        if (event == CLOSED) {
            fail("the stream closed; it held: " + raw());
        }
        return event;
    }

    /** Every event up to and including {@code end}; the stream then closes. */
    List<Event> untilEnd() throws InterruptedException {
        List<Event> seen = new ArrayList<>();
        while (true) {
            Event event = next();
            seen.add(event);
            if (event.name().equals("end")) {
                assertClosed();
                return seen;
            }
        }
    }

    /** The server closed the stream: curl ends, with nothing after the last event. */
    void assertClosed() throws InterruptedException {
        assertTrue(curl.waitFor(60, TimeUnit.SECONDS), "the stream did not close");
        Event after = events.poll(5, TimeUnit.SECONDS);
        assertEquals(CLOSED, after, "nothing follows the end");
    }

    int comments() {
        return comments;
    }

    /** Everything the stream's body held so far, as text. */
    String raw() {
        synchronized (raw) {
            return raw.toString(StandardCharsets.UTF_8);
        }
    }

    private void parse() {
        String name = null;
        StringBuilder data = null;
        try {
            while (true) {
                String line = lines.next();
                if (line == null) {
                    break;
                }
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(name == null ? "message" : name, data.toString()));
                    }
                    name = null;
                    data = null;
                    continue;
                }
                if (line.startsWith(":")) {
                    comments++;
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                if (field.equals("event")) {
                    name = value;
                } else if (field.equals("data")) {
                    data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                }
            }
        } catch (IOException e) {
            // curl was stopped
        }
        events.add(CLOSED);
    }

    /** Reads lines ended by CR, LF or CRLF, as event streams (and, with CRLF, HTTP heads) end them, never waiting past a line's end. */
    private static final class Lines {
        private final InputStream in;
        private final ByteArrayOutputStream copy;
        private boolean afterCr;

        /** @param afterCr the input so far ended in a CR (an LF first is that line's end) */
        Lines(InputStream in, ByteArrayOutputStream copy, boolean afterCr) {
            this.in = in;
            this.copy = copy;
            this.afterCr = afterCr;
        }

        /** The next line, or null at the end of the input. */
        String next() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
                }
                boolean skip = afterCr && b == '\n';
                afterCr = b == '\r';
                if (skip) {
                    continue; // the LF of a CRLF (and not kept: what is kept is the text, lines and all)
                }
                synchronized (copy) {
                    copy.write(b);
                }
                if (b == '\n' || b == '\r') {
                    return line.toString(StandardCharsets.UTF_8);
                }
                line.write(b);
            }
        }
    }

    @Override
    public void close() {
        curl.destroy();
    }
}
