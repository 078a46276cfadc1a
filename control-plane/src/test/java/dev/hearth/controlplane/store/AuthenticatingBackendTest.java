package dev.hearth.controlplane.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.wire.message.MessageHeader;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The authentication rules per connection, on an in-memory H2 backend and Netty's embedded channels. */
class AuthenticatingBackendTest {

    private final H2Backend h2 = H2Backend.inMemory();
    private final AuthenticatingBackend backend = new AuthenticatingBackend(h2, "hearth", "s3cret");

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void plainWithTheSecret_authenticatesThatConnectionOnly() {
        Channel hearth = new EmbeddedChannel();
        Channel other = new EmbeddedChannel();
        assertEquals(1.0, message(hearth, saslStart("$external", "PLAIN", "\0hearth\0s3cret")).get("ok"));
        assertEquals(1.0, message(hearth, new Document("insert", "users").append("documents",
                List.of(new Document("_id", "alice")))).get("ok"));

        assertEquals(13, message(other, new Document("find", "users")).get("code"));
        assertEquals(1.0, message(hearth, new Document("find", "users")).get("ok"));
    }

    @Test
    void anAuthorizationIdEqualToTheUser_isAccepted() {
        Channel channel = new EmbeddedChannel();
        assertEquals(1.0, message(channel, saslStart("$external", "PLAIN", "hearth\0hearth\0s3cret")).get("ok"));
        assertEquals(1.0, message(channel, new Document("listDatabases", 1).append("$db", "admin")).get("ok"));
    }

    @Test
    void wrongSecretUserMechanismOrDatabase_fail_andAFailedRetryDropsAnEarlierSuccess() {
        Channel channel = new EmbeddedChannel();
        for (Document attempt : List.of(
                saslStart("$external", "PLAIN", "\0hearth\0s3cre"),
                saslStart("$external", "PLAIN", "\0hearth\0s3cretX"),
                saslStart("$external", "PLAIN", "\0other\0s3cret"),
                saslStart("$external", "PLAIN", "other\0hearth\0s3cret"),
                saslStart("admin", "PLAIN", "\0hearth\0s3cret"),
                saslStart("$external", "SCRAM-SHA-256", "\0hearth\0s3cret"),
                new Document("saslStart", 1).append("mechanism", "PLAIN").append("$db", "$external"))) {
            assertEquals(18, message(channel, attempt).get("code"), attempt::toString);
        }
        message(channel, saslStart("$external", "PLAIN", "\0hearth\0s3cret"));
        message(channel, saslStart("$external", "PLAIN", "\0hearth\0guess"));
        assertEquals(13, message(channel, new Document("find", "users")).get("code"));
    }

    @Test
    void beforeAuthentication_onlyIsMasterIsAnswered_onEveryPath() {
        Channel channel = new EmbeddedChannel();
        assertEquals(true, message(channel, new Document("isMaster", 1)).get("ismaster"));
        assertEquals(true, backend.handleCommand(channel, "admin", "ismaster", new Document("ismaster", 1)).get("ismaster"));
        for (String command : List.of("hello", "ping", "buildinfo", "whatsmyuri", "getMore", "killCursors", "saslContinue",
                "dropDatabase", "serverStatus", "endSessions", "find", "")) {
            Document body = command.isEmpty() ? new Document() : new Document(command, 1);
            assertEquals(13, message(channel, body).get("code"), command);
            assertEquals(13, backend.handleCommand(channel, "hearth", command, body).get("code"), command);
        }
        assertEquals(13, backend.getServerStatus().get("code"));
        var query = new MongoQuery(channel, new MessageHeader(1, 0), "hearth.users", 0, 0, new Document(), null);
        assertEquals(13, assertThrows(MongoServerError.class, () -> backend.handleQuery(query)).getCode());
        assertEquals(13, assertThrows(MongoServerError.class, () -> backend.getCurrentOperations(query)).getCode());
    }

    private Document message(Channel channel, Document body) {
        if (!body.containsKey("$db")) {
            body.put("$db", "hearth");
        }
        return backend.handleMessage(new MongoMessage(channel, new MessageHeader(1, 0), body));
    }

    private static Document saslStart(String database, String mechanism, String payload) {
        return new Document("saslStart", 1).append("mechanism", mechanism)
                .append("payload", new BinData(payload.getBytes(StandardCharsets.UTF_8))).append("$db", database);
    }
}
