package dev.hearth.poolmanager.nats;

import dev.hearth.poolmanager.code.CodeSource;
import dev.hearth.poolmanager.support.Threads;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamStatusException;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Code archives over NATS, in chunks well under any server's payload limit: control planes
 * {@linkplain #serve serve} them from their store as a queue group, and nodes, which have no
 * database, {@linkplain #fetcher fetch} them by digest into their local {@code CodeCache}.
 */
public final class CodeTransfer {

    private static final Logger log = LoggerFactory.getLogger(CodeTransfer.class);
    static final int CHUNK_BYTES = 512 * 1024;
    private static final String DIGEST = "Hearth-Digest";
    private static final String OFFSET = "Hearth-Offset";
    private static final String LAST = "Hearth-Last";
    private static final String MISSING = "Hearth-Missing";
    private static final Duration CHUNK_TIMEOUT = Duration.ofSeconds(30);

    private CodeTransfer() {}

    /** Answers chunk requests from {@code source} until the returned dispatcher is closed. */
    public static AutoCloseable serve(Connection nats, CodeSource source) {
        ExecutorService readers = Executors.newFixedThreadPool(4, Threads.daemon("code-server"));
        Dispatcher dispatcher = nats.createDispatcher(message -> readers.execute(() -> answer(nats, source, message)));
        dispatcher.subscribe(Wire.CODE, Wire.CONTROL_PLANES);
        return () -> {
            nats.closeDispatcher(dispatcher);
            readers.shutdownNow();
        };
    }

    private static void answer(Connection nats, CodeSource source, Message request) {
        if (request.getReplyTo() == null || request.getHeaders() == null) {
            return;
        }
        String digest = request.getHeaders().getFirst(DIGEST);
        Headers headers = new Headers();
        byte[] chunk = new byte[0];
        try (InputStream in = source.open(digest)) {
            in.skipNBytes(Long.parseLong(request.getHeaders().getFirst(OFFSET)));
            chunk = in.readNBytes(CHUNK_BYTES);
            headers.put(LAST, Boolean.toString(in.read() < 0));
        } catch (FileNotFoundException e) {
            headers.put(MISSING, "no code archive with digest " + digest);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot serve code archive {}: {}", digest, e.getMessage());
            headers.put(MISSING, "cannot read code archive " + digest + ": " + e.getMessage());
        }
        nats.publish(request.getReplyTo(), headers, chunk);
    }

    /** A code source for a node: reads an archive chunk by chunk from whichever control plane answers. */
    public static CodeSource fetcher(Connection nats) {
        return digest -> new InputStream() {
            private byte[] chunk = new byte[0];
            private int position;
            private long offset;
            private boolean last;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int off, int len) throws IOException {
                while (position == chunk.length) {
                    if (last) {
                        return -1;
                    }
                    next();
                }
                int n = Math.min(len, chunk.length - position);
                System.arraycopy(chunk, position, buffer, off, n);
                position += n;
                return n;
            }

            private void next() throws IOException {
                Headers headers = new Headers().put(DIGEST, digest).put(OFFSET, Long.toString(offset));
                Message reply;
                try {
                    reply = nats.requestWithTimeout(Wire.CODE, headers, new byte[0], CHUNK_TIMEOUT)
                            .get(CHUNK_TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while fetching code " + digest, e);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof JetStreamStatusException) {
                        throw new IOException("no control plane is answering code requests");
                    }
                    throw new IOException("fetching code " + digest + " failed: " + e.getCause(), e.getCause());
                } catch (TimeoutException | CancellationException e) {
                    throw new IOException("no answer to a code request for " + digest + " within " + CHUNK_TIMEOUT.toSeconds() + " s");
                }
                String missing = reply.getHeaders() == null ? "malformed code reply" : reply.getHeaders().getFirst(MISSING);
                if (missing != null) {
                    throw new FileNotFoundException(missing);
                }
                chunk = reply.getData() == null ? new byte[0] : reply.getData();
                position = 0;
                offset += chunk.length;
                last = Boolean.parseBoolean(reply.getHeaders().getFirst(LAST));
            }
        };
    }
}
