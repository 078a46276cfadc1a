package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoCredential;
import com.mongodb.MongoSecurityException;
import com.mongodb.ServerAddress;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import dev.hearth.poolmanager.support.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bson.BsonArray;
import org.bson.BsonBinaryWriter;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.EncoderContext;
import org.bson.io.BasicOutputBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store is Hearth's alone (issue 12, item 6): a local process that dials its port
 * with the real driver, or with legacy OP_QUERY messages, reads and writes nothing, and a
 * non-root local user cannot read its file.
 */
class StoreAccessIntegrationTest {

    private static final int UNAUTHORIZED = 13;

    @TempDir
    Path tmp;

    @Test
    void strangerOnTheStorePort_isRefused_andReadsOrWritesNothing() throws Exception {
        try (Hearth hearth = TestHearth.start(settings(tmp.resolve("data")))) {
            var api = new Api(hearth.port());
            api.userWithToken("alice");
            int port = hearth.storePort().orElseThrow();
            String forged = "hth_forged-by-a-local-process";
            Document forgedToken = new Document("_id", Digests.sha256Hex(forged)).append("username", "alice")
                    .append("createdAt", new Date());

            try (MongoClient stranger = client(port, null)) {
                MongoDatabase db = stranger.getDatabase("hearth");
                assertUnauthorized(() -> db.getCollection("users").find().first());
                assertUnauthorized(() -> db.getCollection("tokens").insertOne(forgedToken));
                assertUnauthorized(() -> stranger.listDatabaseNames().first());
                assertUnauthorized(() -> db.listCollectionNames().first());
                assertUnauthorized(() -> db.runCommand(new Document("serverStatus", 1)));
                assertUnauthorized(() -> db.runCommand(new Document("whatsmyuri", 1)));
            }

            for (MongoCredential guess : List.of(
                    MongoCredential.createPlainCredential("hearth", "$external", "guess".toCharArray()),
                    MongoCredential.createPlainCredential("root", "$external", "hearth".toCharArray()),
                    MongoCredential.createCredential("hearth", "admin", "guess".toCharArray()))) {
                try (MongoClient guesser = client(port, guess)) {
                    var e = assertThrows(MongoSecurityException.class,
                            () -> guesser.getDatabase("hearth").getCollection("users").find().first());
                    assertFalse(String.valueOf(e.getCause()).contains("alice"), e::toString);
                }
            }

            // Legacy OP_QUERY: commands on $cmd (plain and $query-wrapped) get a command error...
            List<Map.Entry<String, BsonDocument>> commands = List.of(
                    Map.entry("hearth.$cmd", new BsonDocument("find", new BsonString("users"))),
                    Map.entry("hearth.$cmd", new BsonDocument("$query", new BsonDocument("find", new BsonString("users")))),
                    Map.entry("admin.$cmd", new BsonDocument("listDatabases", new BsonInt32(1))),
                    Map.entry("admin.$cmd", new BsonDocument("serverStatus", new BsonInt32(1))),
                    Map.entry("hearth.$cmd", new BsonDocument("insert", new BsonString("tokens"))
                            .append("documents", new BsonArray(List.of(forgedToken.toBsonDocument())))));
            for (var command : commands) {
                LegacyReply reply = legacyQuery(port, command.getKey(), command.getValue());
                String what = command.getKey() + " " + command.getValue().toJson() + " -> " + reply;
                assertEquals(1, reply.documents().size(), what);
                assertEquals(0, reply.first().getNumber("ok").intValue(), what);
                assertEquals(UNAUTHORIZED, reply.first().getInt32("code").getValue(), what);
                assertFalse(reply.text().contains("alice"), what);
            }
            // ...and queries on a collection or on $cmd.sys.inprog end the connection unanswered.
            for (String namespace : List.of("hearth.users", "hearth.tokens", "hearth.$cmd.sys.inprog")) {
                LegacyReply reply = legacyQuery(port, namespace, new BsonDocument());
                assertEquals(LegacyReply.CLOSED, reply, namespace + " -> " + reply);
            }

            // The forged token never reached the store; Hearth's own client still works.
            assertEquals(401, api.get("/v1/functions", forged).status());
            assertEquals(200, api.get("/v1/functions", api.token("alice", "correct horse battery")).status());
        }
    }

    @Test
    void storeFile_isOwnerOnly_andANonRootUserCannotReadIt() throws Exception {
        // A world-traversable parent and a data folder left 0755 by an earlier version.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path data = Files.createDirectory(tmp.resolve("data"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path file = data.resolve("store/hearth.mv");
        try (Hearth hearth = TestHearth.start(settings(data))) {
            new Api(hearth.port()).userWithToken("bob");

            for (List<String> attempt : List.of(List.of("cat", file.toString()), List.of("ls", data.toString()))) {
                Run run = asNobody(attempt);
                assertNotEquals(0, run.exit(), attempt + ": " + run);
                assertTrue(run.stderr().contains("Permission denied"), attempt + ": " + run);
                assertEquals("", run.stdout(), attempt + ": " + run);
            }

            assertEquals("rwx------", mode(data));
            assertEquals("rwx------", mode(data.resolve("store")));
            assertEquals("rw-------", mode(file));
        }
    }

    private static Map<String, String> settings(Path data) {
        var env = TestHearth.settings(data);
        env.put("HEARTH_POOL_PYTHON", "0");
        return env;
    }

    private static MongoClient client(int port, MongoCredential credential) {
        Consumer<MongoClientSettings.Builder> auth = b -> {
            if (credential != null) {
                b.credential(credential);
            }
        };
        var builder = MongoClientSettings.builder()
                .applyToClusterSettings(c -> c.hosts(List.of(new ServerAddress("127.0.0.1", port)))
                        .serverSelectionTimeout(5, TimeUnit.SECONDS))
                .applyToSocketSettings(s -> s.connectTimeout(5, TimeUnit.SECONDS).readTimeout(10, TimeUnit.SECONDS));
        auth.accept(builder);
        return MongoClients.create(builder.build());
    }

    private static void assertUnauthorized(Executable call) {
        var e = assertThrows(MongoCommandException.class, call);
        assertEquals(UNAUTHORIZED, e.getErrorCode(), e::toString);
        assertFalse(e.getMessage().contains("alice"), e::toString);
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private record Run(int exit, String stdout, String stderr) {}

    private static Run asNobody(List<String> command) throws IOException, InterruptedException {
        var argv = new java.util.ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        argv.addAll(command);
        Process process = new ProcessBuilder(argv).start();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not end");
        }
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private record LegacyReply(int flags, List<RawBsonDocument> documents) {
        /** The server closed the connection without a reply. */
        static final LegacyReply CLOSED = new LegacyReply(-1, List.of());

        BsonDocument first() {
            return documents.get(0);
        }

        String text() {
            return documents.toString();
        }
    }

    /**
     * One OP_QUERY (opcode 2004), which today's drivers no longer send but the server still
     * accepts: written by hand because no maintained client can send it any more.
     */
    private static LegacyReply legacyQuery(int port, String namespace, BsonDocument query) throws IOException {
        var body = new BasicOutputBuffer();
        body.writeInt32(0); // flags
        body.writeCString(namespace);
        body.writeInt32(0); // numberToSkip
        body.writeInt32(-1); // numberToReturn
        new BsonDocumentCodec().encode(new BsonBinaryWriter(body), query, EncoderContext.builder().build());
        byte[] payload = body.toByteArray();
        ByteBuffer message = ByteBuffer.allocate(16 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        message.putInt(16 + payload.length).putInt(1).putInt(0).putInt(2004).put(payload);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(message.array());
            InputStream in = socket.getInputStream();
            byte[] header = in.readNBytes(4);
            if (header.length == 0) {
                return LegacyReply.CLOSED;
            }
            ByteBuffer length = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer reply = ByteBuffer.wrap(in.readNBytes(length.getInt() - 4)).order(ByteOrder.LITTLE_ENDIAN);
            reply.position(12); // requestID, responseTo, opCode
            int flags = reply.getInt();
            reply.getLong(); // cursorID
            reply.getInt(); // startingFrom
            int count = reply.getInt();
            List<RawBsonDocument> documents = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                int size = reply.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt();
                byte[] doc = new byte[size];
                reply.get(doc);
                documents.add(new RawBsonDocument(doc));
            }
            return new LegacyReply(flags, documents);
        }
    }
}
