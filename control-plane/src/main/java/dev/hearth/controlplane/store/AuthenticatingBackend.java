package dev.hearth.controlplane.store;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mongo-java-server has no authentication, and its loopback port is open to every local process:
 * this wrapper makes each connection prove it knows a secret held only in this process's memory
 * before anything reaches the data. SASL PLAIN is the one mechanism of the real driver that needs
 * no server-side key derivation; that it sends the secret in the clear matters not, as it crosses
 * only loopback, where reading it takes root, who could read this process's memory (and the file)
 * anyway, and the secret is new at every start. Until then a connection may only ask
 * {@code isMaster}, which the driver's handshake and its server monitor send without credentials
 * and which the backend answers from constants, and {@code saslStart}, answered here.
 *
 * <p>Every entry the wire handler calls is guarded, OP_MSG and legacy OP_QUERY alike: commands
 * (including {@code $query}-wrapped ones, which reach {@link #handleCommand} unwrapped), queries
 * on collections, {@code $cmd.sys.inprog}; {@code serverStatus} on {@code $cmd} reaches
 * {@link #getServerStatus} without its connection, so it is always refused (Hearth never asks).
 */
final class AuthenticatingBackend implements MongoBackend {

    private static final Logger log = LoggerFactory.getLogger(AuthenticatingBackend.class);
    private static final AttributeKey<Boolean> AUTHENTICATED = AttributeKey.valueOf(AuthenticatingBackend.class, "authenticated");
    private static final int UNAUTHORIZED = 13;
    private static final int AUTHENTICATION_FAILED = 18;
    /** Where the driver sends PLAIN: the credential's default source for external mechanisms. */
    private static final String EXTERNAL = "$external";

    private final MongoBackend delegate;
    /** The two payloads a PLAIN client may send: with an empty or a repeated authorization id. */
    private final byte[] expectedBare;
    private final byte[] expectedNamed;

    AuthenticatingBackend(MongoBackend delegate, String user, String password) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.expectedBare = ("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8);
        this.expectedNamed = (user + "\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8);
    }

    /** Legacy OP_QUERY commands on {@code $cmd}, {@code $query}-wrapped ones unwrapped. */
    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        if (command.equals("saslStart")) {
            return saslStart(channel, database, query);
        }
        if (!authenticated(channel) && !command.equalsIgnoreCase("ismaster")) {
            return unauthorized(channel);
        }
        return delegate.handleCommand(channel, database, command, query);
    }

    /** OP_MSG: every command of today's drivers. */
    @Override
    public Document handleMessage(MongoMessage message) {
        Document document = message.getDocument();
        String command = document.isEmpty() ? "" : document.keySet().iterator().next();
        if (command.equals("saslStart")) {
            return saslStart(message.getChannel(), message.getDatabaseName(), document);
        }
        if (!authenticated(message.getChannel()) && !command.equalsIgnoreCase("ismaster")) {
            return unauthorized(message.getChannel());
        }
        return delegate.handleMessage(message);
    }

    /** A legacy query on a collection; the wire handler answers a throw by closing the connection. */
    @Override
    public QueryResult handleQuery(MongoQuery query) {
        requireAuthenticated(query.getChannel());
        return delegate.handleQuery(query);
    }

    /** A legacy query on {@code $cmd.sys.inprog}. */
    @Override
    public Collection<Document> getCurrentOperations(MongoQuery query) {
        requireAuthenticated(query.getChannel());
        return delegate.getCurrentOperations(query);
    }

    /** Reached only by a legacy {@code serverStatus} on {@code $cmd}, which names no connection. */
    @Override
    public Document getServerStatus() {
        return unauthorized(null);
    }

    private Document saslStart(Channel channel, String database, Document command) {
        boolean ok = EXTERNAL.equals(database) && "PLAIN".equals(command.get("mechanism"))
                && matches(payload(command.get("payload")));
        channel.attr(AUTHENTICATED).set(ok);
        if (!ok) {
            log.warn("store: a client on {} failed to authenticate", channel.remoteAddress());
            return error(AUTHENTICATION_FAILED, "AuthenticationFailed", "Authentication failed.");
        }
        Document reply = new Document("conversationId", 1);
        reply.put("done", true);
        reply.put("payload", new BinData(new byte[0]));
        reply.put("ok", 1.0);
        return reply;
    }

    /** Both comparisons always run, each in time independent of where the bytes differ. */
    private boolean matches(byte[] given) {
        boolean bare = MessageDigest.isEqual(expectedBare, given);
        boolean named = MessageDigest.isEqual(expectedNamed, given);
        return bare | named;
    }

    private static byte[] payload(Object value) {
        if (value instanceof BinData binary) {
            return binary.getData();
        }
        return value instanceof byte[] bytes ? bytes : new byte[0];
    }

    private static boolean authenticated(Channel channel) {
        return channel != null && Boolean.TRUE.equals(channel.attr(AUTHENTICATED).get());
    }

    private static void requireAuthenticated(Channel channel) {
        if (!authenticated(channel)) {
            logRefusal(channel);
            throw new MongoServerError(UNAUTHORIZED, "Unauthorized", "command requires authentication");
        }
    }

    /**
     * Answered as a command error document rather than thrown: the wire handler logs a thrown
     * error at ERROR with the whole request (a stranger's documents and password guesses).
     */
    private static Document unauthorized(Channel channel) {
        logRefusal(channel);
        return error(UNAUTHORIZED, "Unauthorized", "command requires authentication");
    }

    private static void logRefusal(Channel channel) {
        log.warn("store: refused a request from {}: not authenticated", channel == null ? "a client" : channel.remoteAddress());
    }

    private static Document error(int code, String codeName, String message) {
        Document error = new Document("ok", 0.0);
        error.put("errmsg", message);
        error.put("code", code);
        error.put("codeName", codeName);
        return error;
    }

    // Not reachable from the wire with a connection of its own: passed through.

    @Override
    public void handleClose(Channel channel) {
        delegate.handleClose(channel);
    }

    @Override
    public void dropDatabase(String database) {
        delegate.dropDatabase(database);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public void closeCursors(List<Long> cursorIds) {
        delegate.closeCursors(cursorIds);
    }

    @Override
    public Clock getClock() {
        return delegate.getClock();
    }

    @Override
    public void enableOplog() {
        delegate.enableOplog();
    }

    @Override
    public void disableOplog() {
        delegate.disableOplog();
    }

    @Override
    public MongoDatabase resolveDatabase(String database) {
        return delegate.resolveDatabase(database);
    }

    @Override
    public MongoBackend version(MongoVersion version) {
        delegate.version(version);
        return this;
    }
}
