package dev.hearth.cli.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.hearth.cli.CliException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code hearth.yaml} into a {@link Spec}: YAML by Jackson, fields bound strictly (an
 * unknown or repeated field, or a value of the wrong kind, is refused), then checked by
 * {@link SpecCheck}. Every refusal is one line naming the file, the field as a path and its line:
 * {@code hearth.yaml: unknown field 'functions.hello.memroyMb' (line 4)}.
 */
public final class SpecReader {

    /** The largest spec read: a spec is a page of settings, not data. */
    static final int MAX_BYTES = 1024 * 1024;

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private SpecReader() {}

    /** A spec as read, with where it came from. */
    public record Read(Spec spec, Path file, Path folder) {}

    /** Reads and checks the spec at {@code file}; {@code shown} is how messages name it (as the user gave it). */
    public static Read read(Path file, String shown) {
        Path absolute = file.toAbsolutePath().normalize();
        String text;
        try {
            if (!Files.isRegularFile(absolute, LinkOption.NOFOLLOW_LINKS) && Files.isDirectory(absolute)) {
                throw CliException.usage(shown + " is a folder: give the spec file (-f " + shown + "/hearth.yaml)");
            }
            // Read bounded, not by its size: a link to /dev/zero or a fifo has none and no end.
            byte[] bytes;
            try (var in = Files.newInputStream(absolute)) {
                bytes = in.readNBytes(MAX_BYTES + 1);
            }
            if (bytes.length > MAX_BYTES) {
                throw CliException.usage(shown + " is over " + MAX_BYTES / 1024 + " KiB: not a spec");
            }
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw CliException.usage(shown + ": no such file");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw CliException.usage(shown + " is not UTF-8 text");
        } catch (IOException e) {
            throw CliException.usage("cannot read " + shown + ": " + e.getMessage());
        }
        Path folder = absolute.getParent();
        Spec spec = parse(text, shown, folder.getFileName() == null ? null : folder.getFileName().toString());
        return new Read(spec, absolute, folder);
    }

    /** Parses and checks spec text; {@code folderName} gives the default name (null: none). */
    public static Spec parse(String text, String shown, String folderName) {
        if (text.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#") || l.strip().equals("---"))) {
            throw CliException.usage(shown + " is empty: a spec names its functions under 'functions'");
        }
        Map<String, Integer> lines = new HashMap<>();
        String[] repeated = new String[1];
        walkLines(text, lines, repeated);
        if (repeated[0] != null) {
            throw CliException.usage(shown + ": '" + repeated[0] + "' is given twice (line " + lines.get(repeated[0]) + ")");
        }
        Spec raw;
        try {
            raw = YAML.readValue(text, Spec.class);
        } catch (UnrecognizedPropertyException e) {
            String path = path(e);
            throw CliException.usage(shown + ": unknown field '" + path + "'" + line(lines, e) + suggestion(e));
        } catch (InvalidFormatException e) {
            throw CliException.usage(shown + ": " + nameOrRoot(e) + " must be " + kind(e.getTargetType()) + ", got '"
                    + clip(String.valueOf(e.getValue())) + "'" + line(lines, e));
        } catch (MismatchedInputException e) {
            if (e.getPath().isEmpty()) {
                throw CliException.usage(shown + ": must be a mapping with 'functions' (and optionally 'name' and 'routes')" + line(e.getLocation()));
            }
            throw CliException.usage(shown + ": " + path(e) + " must be " + kind(e.getTargetType()) + line(lines, e));
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof JsonParseException syntax) {
                throw syntax(shown, syntax);
            }
            String problem = e.getOriginalMessage();
            if (problem != null && problem.startsWith("Duplicate field")) {
                throw CliException.usage(shown + ": '" + path(e) + "' is given twice" + line(lines, e));
            }
            throw CliException.usage(shown + ": " + nameOrRoot(e) + " is not what a spec holds" + line(lines, e));
        } catch (JsonParseException e) {
            throw syntax(shown, e);
        } catch (JsonProcessingException e) {
            throw CliException.usage(shown + ": not valid YAML" + line(e.getLocation()));
        }
        if (raw == null) {
            throw CliException.usage(shown + ": must be a mapping with 'functions' (and optionally 'name' and 'routes')");
        }
        return new SpecCheck(shown, lines).check(raw, folderName);
    }

    private static CliException syntax(String shown, JsonParseException e) {
        String problem = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (problem.startsWith("Duplicate field")) {
            String field = problem.replaceFirst("^Duplicate field '([^']*)'.*", "$1");
            return CliException.usage(shown + ": field '" + field + "' is given twice" + line(e.getLocation()));
        }
        return CliException.usage(shown + ": not valid YAML: " + firstLine(problem) + line(e.getLocation()));
    }

    /**
     * The line each field starts on, by its path ({@code functions.hello.memoryMb},
     * {@code routes[0].path}), so that checks made after binding can say where; empty when the
     * text is not YAML (the binding then says why).
     */
    static Map<String, Integer> lines(String text) {
        Map<String, Integer> lines = new HashMap<>();
        walkLines(text, lines, new String[1]);
        return lines;
    }

    /**
     * Fills {@code lines} (see {@link #lines}); {@code repeated[0]} gets the path of the first
     * field given twice in one mapping, which {@code lines} then holds at its second line.
     */
    private static void walkLines(String text, Map<String, Integer> lines, String[] repeated) {
        try (JsonParser parser = new YAMLFactory().createParser(text)) {
            if (parser.nextToken() != null) {
                walk(parser, "", lines, repeated);
            }
        } catch (IOException e) {
            lines.clear();
        }
    }

    private static void walk(JsonParser parser, String path, Map<String, Integer> lines, String[] repeated) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            java.util.Set<String> seen = new java.util.HashSet<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String child = path.isEmpty() ? parser.currentName() : path + "." + parser.currentName();
                int line = parser.currentTokenLocation().getLineNr();
                if (!seen.add(parser.currentName()) && repeated[0] == null) {
                    repeated[0] = child;
                    lines.put(child, line);
                }
                lines.putIfAbsent(child, line);
                parser.nextToken();
                walk(parser, child, lines, repeated);
            }
        } else if (token == JsonToken.START_ARRAY) {
            int index = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                String child = path + "[" + index++ + "]";
                lines.putIfAbsent(child, parser.currentTokenLocation().getLineNr());
                walk(parser, child, lines, repeated);
            }
        }
    }

    /** The failing field as a path: {@code functions.hello.memroyMb}, {@code routes[0].methd}. */
    static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            } else if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            }
        }
        return path.toString();
    }

    private static String nameOrRoot(JsonMappingException e) {
        String path = path(e);
        return path.isEmpty() ? "the spec" : path;
    }

    /** The line of the field at fault: where its key is, else where the parser stopped. */
    private static String line(Map<String, Integer> lines, JsonMappingException e) {
        Integer line = lines.get(path(e));
        return line == null ? line(e.getLocation()) : " (line " + line + ")";
    }

    private static String line(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : " (line " + location.getLineNr() + ")";
    }

    /** "; did you mean 'memoryMb'?" when one known field is a slip of the finger away. */
    private static String suggestion(UnrecognizedPropertyException e) {
        Collection<Object> known = e.getKnownPropertyIds();
        if (known == null) {
            return "";
        }
        String given = e.getPropertyName().toLowerCase(java.util.Locale.ROOT);
        List<String> close = known.stream().map(String::valueOf)
                .filter(k -> distance(k.toLowerCase(java.util.Locale.ROOT), given) <= 2).sorted().toList();
        return close.size() == 1 ? "; did you mean '" + close.get(0) + "'?" : "";
    }

    /** Levenshtein distance, for names of a few characters. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** What a value of this Java type is, in a spec's words. */
    private static String kind(Class<?> type) {
        if (type == null) {
            return "another kind of value";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a text value";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a mapping (key: value lines)";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "another kind of value";
    }

    private static String firstLine(String text) {
        String first = text.lines().findFirst().orElse("").strip();
        return clip(first.isEmpty() ? "unreadable" : first);
    }

    static String clip(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }
}
