package dev.hearth.controlplane.function;

import dev.hearth.controlplane.HearthConfig;
import dev.hearth.controlplane.http.ApiException;
import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.code.ArchiveException;
import dev.hearth.poolmanager.code.SafeZip;
import dev.hearth.poolmanager.code.ZipLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Turns a {@link NewFunction} into a {@link ValidFunction} or refuses it with a message that
 * names the field and what would be accepted. Source files are packed into a zip here, so the
 * rest of Hearth only ever handles one form of code.
 */
final class FunctionValidator {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Pattern PYTHON_HANDLER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)+");
    private static final Pattern FILENAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final int MAX_ENV_BYTES = 4 * 1024;
    private static final Set<String> COMING_RUNTIMES = Set.of("node", "java");

    private final HearthConfig.Limits limits;

    FunctionValidator(HearthConfig.Limits limits) {
        this.limits = limits;
    }

    /** A function request that passed every check, with its code as zip bytes. */
    record ValidFunction(String name, Language language, String handler, byte[] zip, int memoryMb, int timeoutMs,
                         int concurrency, Map<String, String> env) {}

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.badRequest("function name must be 1-64 letters, digits, '_' or '-', starting with a letter or digit");
        }
    }

    ValidFunction validate(NewFunction request) {
        checkName(request.name());
        if (request.image() != null || request.contract() != null) {
            throw ApiException.notImplemented("image functions are not available in this version of Hearth");
        }
        Language language = language(request.runtime());
        String handler = request.handler() == null ? "main.handler" : request.handler();
        if (!PYTHON_HANDLER.matcher(handler).matches()) {
            throw ApiException.badRequest("handler must be 'module.function' (for example main.handler), got '" + handler + "'");
        }
        byte[] zip = code(request, handler);
        int memory = within("memoryMb", request.memoryMb(), limits.defaultMemoryMb(), 64, limits.maxMemoryMb());
        int timeout = within("timeoutMs", request.timeoutMs(), limits.defaultTimeoutMs(), 100, limits.maxTimeoutMs());
        int concurrency = within("concurrency", request.concurrency(), 0, 1, 1000);
        return new ValidFunction(request.name(), language, handler, zip, memory, timeout, concurrency, env(request.env()));
    }

    private static Language language(String runtime) {
        if (runtime == null) {
            throw ApiException.badRequest("runtime is required: python");
        }
        return Language.byId(runtime).orElseThrow(() -> COMING_RUNTIMES.contains(runtime)
                ? ApiException.notImplemented("runtime '" + runtime + "' is not available in this version of Hearth; use python")
                : ApiException.badRequest("unknown runtime '" + runtime + "'; use python"));
    }

    private byte[] code(NewFunction request, String handler) {
        if ((request.source() == null) == (request.archive() == null)) {
            throw ApiException.badRequest("give exactly one of 'source' ({\"filename\",\"content\"}) or 'archive' (a base64 zip)");
        }
        Set<String> files;
        byte[] zip;
        if (request.source() != null) {
            NewFunction.Source source = request.source();
            if (source.filename() == null || !FILENAME.matcher(source.filename()).matches() || !source.filename().endsWith(".py")) {
                throw ApiException.badRequest("source.filename must be a plain file name ending in .py, such as main.py");
            }
            if (source.content() == null) {
                throw ApiException.badRequest("source.content is required");
            }
            byte[] content = source.content().getBytes(StandardCharsets.UTF_8);
            if (content.length > limits.maxCodeBytes()) {
                throw ApiException.tooLarge("source is larger than " + limits.maxCodeBytes() + " bytes");
            }
            zip = zipOf(source.filename(), content);
            files = Set.of(source.filename());
        } else {
            zip = decodeArchive(request.archive());
            try {
                files = SafeZip.inspect(zip, ZipLimits.DEFAULT);
            } catch (ArchiveException e) {
                throw e.tooLarge() ? ApiException.tooLarge(e.getMessage()) : ApiException.badRequest("archive: " + e.getMessage());
            }
        }
        String module = handler.substring(0, handler.lastIndexOf('.')).replace('.', '/');
        if (!files.contains(module + ".py") && !files.contains(module + "/__init__.py")) {
            throw ApiException.badRequest("handler '" + handler + "' needs " + module + ".py in the code, which has: "
                    + String.join(", ", files.stream().sorted().limit(10).toList()));
        }
        return zip;
    }

    private byte[] decodeArchive(String archive) {
        // base64 grows data by 4/3; refuse before decoding anything absurd.
        if (archive.length() > limits.maxCodeBytes() / 3 * 4 + 4) {
            throw ApiException.tooLarge("archive is larger than " + limits.maxCodeBytes() + " bytes");
        }
        try {
            return Base64.getDecoder().decode(archive.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("archive must be base64: " + e.getMessage());
        }
    }

    /** A deterministic zip: the same source always yields the same bytes, so the same digest. */
    static byte[] zipOf(String filename, byte[] content) {
        var out = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(out)) {
            ZipEntry entry = new ZipEntry(filename);
            entry.setTime(0);
            zip.putNextEntry(entry);
            zip.write(content);
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static int within(String field, Integer value, int fallback, int min, int max) {
        if (value == null) {
            return fallback;
        }
        if (value < min || value > max) {
            throw ApiException.badRequest(field + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    private static Map<String, String> env(Map<String, String> env) {
        if (env == null) {
            return Map.of();
        }
        int bytes = 0;
        Map<String, String> checked = new LinkedHashMap<>();
        for (var e : env.entrySet()) {
            if (!ENV_KEY.matcher(e.getKey()).matches()) {
                throw ApiException.badRequest("env key '" + e.getKey() + "' must be letters, digits and '_', not starting with a digit");
            }
            if (e.getValue() == null) {
                throw ApiException.badRequest("env value of '" + e.getKey() + "' must be a string");
            }
            bytes += e.getKey().length() + e.getValue().getBytes(StandardCharsets.UTF_8).length;
            checked.put(e.getKey(), e.getValue());
        }
        if (bytes > MAX_ENV_BYTES) {
            throw ApiException.badRequest("env variables total more than " + MAX_ENV_BYTES + " bytes");
        }
        return checked;
    }
}
