package dev.hearth.controlplane.function;

import dev.hearth.poolmanager.FunctionSettings;
import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.Workload;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;

/**
 * A {@link FunctionRecord} as the {@code functions} collection keeps it: one flat document, written
 * field for field as it always has been (a source function's image fields null, an image function's
 * code fields null or 0), so stores of earlier versions load and queries on its fields still hold.
 */
final class FunctionDocument {

    private FunctionDocument() {}

    static Document of(FunctionRecord f) {
        StoredWorkload.Source source = f.workload() instanceof StoredWorkload.Source s ? s : null;
        Workload.Image image = f.workload() instanceof StoredWorkload.Image i ? i.workload() : null;
        FunctionSettings settings = f.settings();
        return new Document("_id", f.id())
                .append("owner", f.owner())
                .append("name", f.name())
                .append("runtime", source == null ? null : source.language().id())
                .append("handler", source == null ? null : source.handler())
                .append("image", image == null ? null : image.reference())
                .append("contract", image == null ? null : image.contract().id())
                .append("version", f.version())
                .append("sourceSha256", source == null ? null : source.sourceSha256())
                .append("codeSha256", source == null ? null : source.codeSha256())
                .append("codeSize", source == null ? 0L : source.codeSize())
                .append("sourceSize", source == null ? 0L : source.sourceSize())
                .append("memoryMb", settings.memoryMb())
                .append("timeoutMs", settings.timeoutMs())
                .append("concurrency", settings.concurrency())
                .append("env", new Document(new LinkedHashMap<>(settings.env())))
                .append("egress", settings.egress())
                .append("minWarm", settings.minWarm())
                .append("status", f.status().id())
                .append("build", f.build() == null ? null : f.build().toDocument())
                .append("createdAt", Date.from(f.createdAt()))
                .append("versionCreatedAt", Date.from(f.versionCreatedAt()))
                .append("description", f.description())
                .append("pending", f.pending() == null ? null : of(f.pending()));
    }

    /** The function's document with its aliases and labels, as it is first inserted. */
    static Document inserted(FunctionRecord f) {
        Document aliases = new Document();
        f.aliases().forEach((name, alias) -> aliases.append(name, alias.toDocument()));
        return of(f).append("aliases", aliases).append("labels", labels(f.labels()));
    }

    /**
     * Labels as the function's document keeps them: {@code labels: [{key, value}]}, sorted by key.
     * A list, not an object, since label keys hold dots ({@code hearth.dev/spec}), which a field
     * name in a stored document should not.
     */
    static List<Document> labels(Map<String, String> labels) {
        List<Document> list = new ArrayList<>();
        new java.util.TreeMap<>(labels).forEach((key, value) -> list.add(new Document("key", key).append("value", value)));
        return list;
    }

    /**
     * An update that writes every field of {@code f} but the aliases and labels, which belong to
     * the function, change on their own ({@code PUT .../aliases/{alias}}, a {@code PATCH} of
     * {@code labels}) and must survive a new version or a build.
     */
    static org.bson.conversions.Bson replacing(FunctionRecord f) {
        List<org.bson.conversions.Bson> sets = new ArrayList<>();
        of(f).forEach((field, value) -> {
            if (!field.equals("_id")) {
                sets.add(Updates.set(field, value));
            }
        });
        return Updates.combine(sets);
    }

    /** One version as the {@code function_versions} collection keeps it: {@code _id} is {@link #versionId}. */
    static Document ofVersion(FunctionRecord f) {
        Document d = of(f);
        d.remove("pending");
        d.put("_id", versionId(f.id(), f.version()));
        d.put("functionId", f.id());
        return d;
    }

    static String versionId(String functionId, long version) {
        return functionId + ":" + version;
    }

    static FunctionRecord readVersion(Document d) {
        Document copy = new Document(d);
        copy.put("_id", d.getString("functionId"));
        copy.remove("pending");
        copy.remove("labels");
        return read(copy);
    }

    static FunctionRecord read(Document d) {
        return new FunctionRecord(
                d.getString("_id"),
                d.getString("owner"),
                d.getString("name"),
                d.get("version", Number.class).longValue(),
                workload(d),
                settings(d),
                FunctionRecord.Status.valueOf(d.getString("status").toUpperCase(Locale.ROOT)),
                BuildInfo.fromDocument(d.get("build", Document.class)),
                d.getDate("createdAt").toInstant(),
                d.get("pending") instanceof Document next ? read(next) : null,
                d.getDate("versionCreatedAt") == null ? null : d.getDate("versionCreatedAt").toInstant(),
                d.getString("description"),
                aliases(d.get("aliases", Document.class)),
                labels(d.getList("labels", Document.class)));
    }

    /** A function's labels; none in documents written before labels existed. */
    private static Map<String, String> labels(List<Document> list) {
        if (list == null) {
            return Map.of();
        }
        Map<String, String> labels = new LinkedHashMap<>();
        list.forEach(label -> labels.put(label.getString("key"), label.getString("value")));
        return labels;
    }

    private static Map<String, Alias> aliases(Document d) {
        if (d == null) {
            return Map.of();
        }
        Map<String, Alias> aliases = new LinkedHashMap<>();
        d.forEach((name, value) -> aliases.put(name, Alias.fromDocument(name, (Document) value)));
        return aliases;
    }

    private static StoredWorkload workload(Document d) {
        Optional<Language> language = Language.byId(d.getString("runtime"));
        String image = d.getString("image");
        if (language.isPresent() == (image != null)) {
            throw new IllegalArgumentException("a function has either a language or an image");
        }
        if (image != null) {
            String contract = d.getString("contract");
            return new StoredWorkload.Image(new Workload.Image(image, Workload.Contract.byId(contract)
                    .orElseThrow(() -> new IllegalArgumentException("unknown contract " + contract))));
        }
        return new StoredWorkload.Source(language.get(), d.getString("handler"), d.getString("sourceSha256"),
                number(d, "sourceSize"), d.getString("codeSha256"), number(d, "codeSize"));
    }

    private static FunctionSettings settings(Document d) {
        Map<String, String> env = new LinkedHashMap<>();
        Document envDoc = d.get("env", Document.class);
        if (envDoc != null) {
            envDoc.forEach((k, v) -> env.put(k, String.valueOf(v)));
        }
        return new FunctionSettings(
                d.get("memoryMb", Number.class).intValue(),
                d.get("timeoutMs", Number.class).intValue(),
                d.get("concurrency", Number.class).intValue(),
                env,
                Boolean.TRUE.equals(d.getBoolean("egress")),
                (int) number(d, "minWarm"));
    }

    /** A number field, 0 when absent (documents written before the field existed). */
    private static long number(Document d, String field) {
        Number n = d.get(field, Number.class);
        return n == null ? 0 : n.longValue();
    }
}
