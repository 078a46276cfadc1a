package dev.hearth.cli.spec;

import dev.hearth.cli.spec.Spec.FunctionSpec;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A function as the spec wants it, its code resolved to what the server would report: the
 * runtime and handler (given, or detected from the files) and the digest of the zip that would be
 * uploaded, which is the {@code sourceSha256} Hearth keeps for an {@code archive} upload (the
 * SHA-256 of the zip's bytes; {@code Bundle} makes the same bytes from the same folder).
 */
public record Desired(String name, FunctionSpec spec, Code code) {

    /** The REST API's defaults for what a spec leaves out (README, "Creating a function"). */
    static final int DEFAULT_MEMORY_MB = 128;
    static final int DEFAULT_TIMEOUT_MS = 3000;

    public Desired {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(code, "code");
    }

    public sealed interface Code permits Source, Image {}

    /** Source code: a folder or one file, as zipped for upload. */
    public record Source(String runtime, String handler, String sha256, boolean needsBuild) implements Code {}

    /** A registered Docker image. */
    public record Image(String image, String contract) implements Code {}

    int memoryMb() {
        return spec.memoryMb() == null ? DEFAULT_MEMORY_MB : spec.memoryMb();
    }

    int timeoutMs() {
        return spec.timeoutMs() == null ? DEFAULT_TIMEOUT_MS : spec.timeoutMs();
    }

    /** 0 for no limit of its own. */
    int concurrency() {
        return spec.concurrency() == null ? 0 : spec.concurrency();
    }

    int minWarm() {
        return spec.minWarm() == null ? 0 : spec.minWarm();
    }

    String network() {
        return spec.network() == null ? "none" : spec.network();
    }

    /** Null when none (the server keeps an empty description as none). */
    String description() {
        return spec.description() == null || spec.description().isEmpty() ? null : spec.description();
    }

    /** The function's labels: the spec's own and the mark of the spec that owns it. */
    Map<String, String> labels(String specName) {
        Map<String, String> labels = new TreeMap<>(spec.labels());
        labels.put(Spec.LABEL, specName);
        return labels;
    }
}
