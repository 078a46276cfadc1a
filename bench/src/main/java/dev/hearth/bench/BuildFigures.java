package dev.hearth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How long a Maven build takes through REST, from {@code POST /v1/functions} to {@code ready}:
 * first with an empty dependency cache (a fresh data folder, so every artifact comes from Maven
 * Central), then for a second project of the same owner with other sources and the same
 * dependencies, which finds them in that owner's cache.
 */
final class BuildFigures {

    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);

    record Figures(double firstMs, double cachedMs) {}

    private BuildFigures() {}

    static Figures measure() throws Exception {
        try (var hearth = new BenchHearth("java", 0)) {
            BenchClient client = new BenchClient("http://127.0.0.1:" + hearth.hearth().port(), "builder");
            double first = timeBuild(client, "maven-first", "first");
            double cached = timeBuild(client, "maven-cached", "second");
            return new Figures(first, cached);
        }
    }

    /** Creates a Maven project whose source differs by {@code word}, and waits until it is ready. */
    private static double timeBuild(BenchClient client, String name, String word) throws IOException, InterruptedException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("pom.xml", BenchCode.utf8("""
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>bench</groupId><artifactId>words</artifactId><version>1.0</version>
                  <properties>
                    <maven.compiler.release>21</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                  <dependencies>
                    <dependency><groupId>org.apache.commons</groupId><artifactId>commons-text</artifactId><version>1.12.0</version></dependency>
                  </dependencies>
                </project>
                """));
        files.put("src/main/java/bench/Words.java", BenchCode.utf8("""
                package bench;

                public class Words {
                    public String capitalize(String text) {
                        return org.apache.commons.text.WordUtils.capitalizeFully(text) + " %s";
                    }
                }
                """.formatted(word)));
        Map<String, Object> body = Map.of("name", name, "runtime", "java", "handler", "bench.Words::capitalize",
                "archive", Base64.getEncoder().encodeToString(BenchCode.zip(files)));
        long started = System.nanoTime();
        client.post("/v1/functions", body, 202);
        long deadline = started + BUILD_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode function = client.get("/v1/functions/" + name);
            String status = function.path("status").asText();
            if (status.equals("ready")) {
                return (System.nanoTime() - started) / 1e6;
            }
            if (status.equals("failed")) {
                throw new IllegalStateException("the bench's Maven build failed: " + client.get("/v1/functions/" + name + "/build"));
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the bench's Maven build took longer than " + BUILD_TIMEOUT);
    }
}
