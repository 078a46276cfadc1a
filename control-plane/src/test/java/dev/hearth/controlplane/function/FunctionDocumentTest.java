package dev.hearth.controlplane.function;

import dev.hearth.poolmanager.FunctionSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.Workload;
import java.time.Instant;
import java.util.Map;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.junit.jupiter.api.Test;

class FunctionDocumentTest {

    /** Written by FunctionRecord.toDocument before the record held a workload and settings: stores of that time must load. */
    static final String SOURCE_BEFORE = "{\"_id\": \"id-1\", \"owner\": \"ada\", \"name\": \"echo\", \"runtime\": \"python\", \"handler\": \"main.handler\", \"image\": null, \"contract\": null, \"version\": {\"$numberLong\": \"2\"}, \"sourceSha256\": \"src1\", \"codeSha256\": \"out1\", \"codeSize\": {\"$numberLong\": \"30\"}, \"sourceSize\": {\"$numberLong\": \"10\"}, \"memoryMb\": {\"$numberInt\": \"128\"}, \"timeoutMs\": {\"$numberInt\": \"3000\"}, \"concurrency\": {\"$numberInt\": \"0\"}, \"env\": {}, \"egress\": false, \"minWarm\": {\"$numberInt\": \"0\"}, \"status\": \"ready\", \"build\": null, \"createdAt\": {\"$date\": {\"$numberLong\": \"1767225600000\"}}, \"pending\": {\"_id\": \"id-1\", \"owner\": \"ada\", \"name\": \"echo\", \"runtime\": \"python\", \"handler\": \"main.handler\", \"image\": null, \"contract\": null, \"version\": {\"$numberLong\": \"3\"}, \"sourceSha256\": \"src2\", \"codeSha256\": null, \"codeSize\": {\"$numberLong\": \"0\"}, \"sourceSize\": {\"$numberLong\": \"20\"}, \"memoryMb\": {\"$numberInt\": \"256\"}, \"timeoutMs\": {\"$numberInt\": \"5000\"}, \"concurrency\": {\"$numberInt\": \"4\"}, \"env\": {\"A\": \"1\"}, \"egress\": true, \"minWarm\": {\"$numberInt\": \"2\"}, \"status\": \"building\", \"build\": {\"status\": \"queued\", \"log\": \"\", \"queuedAt\": {\"$date\": {\"$numberLong\": \"1767323045000\"}}, \"startedAt\": null, \"finishedAt\": null, \"cached\": false, \"node\": \"cp1\"}, \"createdAt\": {\"$date\": {\"$numberLong\": \"1767225600000\"}}, \"pending\": null}}";
    static final String IMAGE_BEFORE = "{\"_id\": \"id-2\", \"owner\": \"bob\", \"name\": \"rev\", \"runtime\": null, \"handler\": null, \"image\": \"hearth/example-http\", \"contract\": \"http\", \"version\": {\"$numberLong\": \"1\"}, \"sourceSha256\": null, \"codeSha256\": null, \"codeSize\": {\"$numberLong\": \"0\"}, \"sourceSize\": {\"$numberLong\": \"0\"}, \"memoryMb\": {\"$numberInt\": \"512\"}, \"timeoutMs\": {\"$numberInt\": \"10000\"}, \"concurrency\": {\"$numberInt\": \"7\"}, \"env\": {\"K\": \"v\"}, \"egress\": true, \"minWarm\": {\"$numberInt\": \"3\"}, \"status\": \"ready\", \"build\": null, \"createdAt\": {\"$date\": {\"$numberLong\": \"1769904000000\"}}, \"pending\": null}";

    static final JsonWriterSettings TYPED = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();

    static FunctionRecord source() {
        var build = BuildInfo.queued(Instant.parse("2026-01-02T03:04:05Z"), "cp1");
        var pending = new FunctionRecord("id-1", "ada", "echo", 3,
                new StoredWorkload.Source(Language.PYTHON, "main.handler", "src2", 20, null, 0),
                new FunctionSettings(256, 5000, 4, Map.of("A", "1"), true, 2),
                FunctionRecord.Status.BUILDING, build, Instant.parse("2026-01-01T00:00:00Z"), null, null, null, null, null);
        return new FunctionRecord("id-1", "ada", "echo", 2,
                new StoredWorkload.Source(Language.PYTHON, "main.handler", "src1", 10, "out1", 30),
                new FunctionSettings(128, 3000, 0, Map.of(), false, 0),
                FunctionRecord.Status.READY, null, Instant.parse("2026-01-01T00:00:00Z"), pending, null, null, null, null);
    }

    static FunctionRecord image() {
        return new FunctionRecord("id-2", "bob", "rev", 1,
                new StoredWorkload.Image(new Workload.Image("hearth/example-http", Workload.Contract.HTTP)),
                new FunctionSettings(512, 10000, 7, Map.of("K", "v"), true, 3),
                FunctionRecord.Status.READY, null, Instant.parse("2026-02-01T00:00:00Z"), null, null, null, null, null);
    }

    @Test
    void of_writesEveryFieldEarlierVersionsWrote_fieldForFieldAndTypeForType_andTheVersionsOwn() {
        for (var pair : java.util.List.of(java.util.Map.entry(SOURCE_BEFORE, source()), java.util.Map.entry(IMAGE_BEFORE, image()))) {
            Document before = Document.parse(pair.getKey());
            Document written = Document.parse(FunctionDocument.of(pair.getValue()).toJson(TYPED));
            Document pending = written.get("pending", Document.class);
            if (pending != null) {
                pending.remove("versionCreatedAt");
                pending.remove("description");
            }
            assertEquals(pair.getValue().createdAt(), written.getDate("versionCreatedAt").toInstant());
            assertTrue(written.containsKey("description"));
            written.remove("versionCreatedAt");
            written.remove("description");
            assertEquals(before.toJson(TYPED), written.toJson(TYPED));
        }
    }

    @Test
    void aVersionAndItsAliases_roundTrip() {
        var alias = new Alias("prod", 2, 3, 0.25, "canary", Instant.parse("2026-03-01T00:00:00Z"));
        FunctionRecord function = image().withAliases(java.util.Map.of("prod", alias));
        assertEquals(function, FunctionDocument.read(FunctionDocument.inserted(function)));
        Document version = FunctionDocument.ofVersion(source());
        assertEquals("id-1:2", version.getString("_id"));
        assertEquals(source().withPending(null), FunctionDocument.readVersion(version));
    }

    @Test
    void labels_areTheFunctionsOwn_keptAsAListSinceTheirKeysHoldDots_andNoVersionOrUpdateWritesThem() {
        FunctionRecord function = source().withLabels(Map.of("hearth.dev/spec", "shop", "team", "web"));
        Document inserted = FunctionDocument.inserted(function);
        assertEquals(java.util.List.of(new Document("key", "hearth.dev/spec").append("value", "shop"),
                new Document("key", "team").append("value", "web")), inserted.get("labels"));
        assertEquals(function.labels(), FunctionDocument.read(inserted).labels());
        assertEquals(false, FunctionDocument.of(function).containsKey("labels"), "a new version or a build keeps the function's labels");
        assertEquals(false, FunctionDocument.ofVersion(function).containsKey("labels"));
        assertEquals(Map.of(), FunctionDocument.readVersion(FunctionDocument.ofVersion(function)).labels());
        assertEquals(Map.of(), FunctionDocument.read(Document.parse(SOURCE_BEFORE)).labels(), "none in earlier stores");
        assertEquals(Map.of("hearth.dev/spec", "shop", "team", "web"), function.view().get("labels"));
    }

    @Test
    void read_loadsTheDocumentsEarlierVersionsWrote() {
        assertEquals(source(), FunctionDocument.read(Document.parse(SOURCE_BEFORE)));
        assertEquals(image(), FunctionDocument.read(Document.parse(IMAGE_BEFORE)));
    }

    @Test
    void read_takesZeroForFieldsOlderDocumentsLack() {
        Document old = Document.parse(SOURCE_BEFORE);
        old.remove("sourceSize");
        old.remove("minWarm");
        old.remove("pending");
        FunctionRecord read = FunctionDocument.read(old);
        assertEquals(new StoredWorkload.Source(Language.PYTHON, "main.handler", "src1", 0, "out1", 30), read.workload());
        assertEquals(0, read.settings().minWarm());
        assertEquals(null, read.pending());
    }

    @Test
    void read_refusesADocumentWithBothOrNeitherKind() {
        Document both = Document.parse(SOURCE_BEFORE).append("image", "hearth/x").append("contract", "exec");
        Document neither = Document.parse(IMAGE_BEFORE).append("image", null);
        assertThrows(IllegalArgumentException.class, () -> FunctionDocument.read(both));
        assertThrows(IllegalArgumentException.class, () -> FunctionDocument.read(neither));
    }
}
