package dev.hearth.controlplane.function;

import dev.hearth.poolmanager.FunctionSettings;
import dev.hearth.controlplane.http.ApiException;
import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.Workload;
import dev.hearth.poolmanager.code.ArchiveException;
import dev.hearth.poolmanager.code.SafeZip;
import dev.hearth.poolmanager.code.ZipLimits;
import dev.hearth.poolmanager.code.Zips;
import dev.hearth.poolmanager.image.ImageReference;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a {@link NewFunction} into a {@link ValidFunction} or refuses it with a message that
 * names the field and what would be accepted. Source files are packed into a zip here, so the
 * rest of Hearth only ever handles one form of code.
 */
final class FunctionValidator {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Pattern FILENAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final int MAX_ENV_BYTES = 4 * 1024;
    /** The longest image reference taken, tag and digest included. */
    private static final int MAX_IMAGE = 255;

    private final Limits limits;
    private final SettingRanges ranges;

    FunctionValidator(Limits limits) {
        this.limits = limits;
        this.ranges = SettingRanges.of(limits);
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.badRequest("function name must be 1-64 letters, digits, '_' or '-', starting with a letter or digit");
        }
    }

    ValidFunction validate(NewFunction request) {
        checkName(request.name());
        int memory = ranges.memoryMb().checkOr(request.memoryMb(), limits.defaultMemoryMb());
        int timeout = ranges.timeoutMs().checkOr(request.timeoutMs(), limits.defaultTimeoutMs());
        int concurrency = SettingRanges.CONCURRENCY.checkOr(request.concurrency(), 0);
        int minWarm = SettingRanges.MIN_WARM.checkOr(request.minWarm(), 0);
        ValidFunction.Code code = request.image() != null || request.contract() != null
                ? image(request, minWarm)
                : upload(request);
        var settings = new FunctionSettings(memory, timeout, concurrency, env(request.env()), egress(request.network()), minWarm);
        return new ValidFunction(request.name(), code, settings, description(request.description()), Labels.check(request.labels()));
    }

    /** A version's description: at most {@link Aliases#MAX_DESCRIPTION} characters, as Lambda's. */
    static String description(String description) {
        if (description != null && description.length() > Aliases.MAX_DESCRIPTION) {
            throw ApiException.badRequest("description must be at most " + Aliases.MAX_DESCRIPTION + " characters, got "
                    + description.length());
        }
        return description == null || description.isEmpty() ? null : description;
    }

    private ValidFunction.Upload upload(NewFunction request) {
        String runtime = request.runtime();
        Language language = language(runtime);
        LanguageRules rules = LanguageRules.of(language);
        boolean lambdaId = Language.byLambdaRuntime(runtime).isPresent();
        String handler = lambdaId ? rules.lambdaHandler(request.handler()) : rules.handler(request.handler());
        Set<String> files = new java.util.HashSet<>();
        byte[] zip = code(request, rules, handler, files);
        return new ValidFunction.Upload(language, handler, zip, rules.needsBuild(files));
    }

    private static ValidFunction.Image image(NewFunction request, int minWarm) {
        if (request.runtime() != null || request.handler() != null || request.source() != null || request.archive() != null) {
            throw ApiException.badRequest("an image function takes 'image' and 'contract', not 'runtime', 'handler', 'source' or 'archive'");
        }
        String image = request.image();
        if (image == null || image.length() > MAX_IMAGE) {
            throw ApiException.badRequest("image must be a Docker image reference of at most " + MAX_IMAGE
                    + " characters such as 'example/app:1.0', got " + (image == null ? "nothing" : "a longer one"));
        }
        try {
            // The pool manager reads it the same way before any pull: one grammar, Docker's.
            ImageReference.parse(image);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("image must be a Docker image reference such as 'example/app:1.0' ("
                    + e.getMessage() + "), got '" + image + "'");
        }
        Workload.Contract contract = Workload.Contract.byId(request.contract()).orElseThrow(() ->
                ApiException.badRequest("contract must be 'exec' (a container per call: event on stdin, result on stdout) "
                        + "or 'http' (a server kept warm, answering the agent's /run on /run/hearth/agent.sock), got "
                        + (request.contract() == null ? "nothing" : "'" + request.contract() + "'")));
        checkMinWarm(contract, minWarm);
        return new ValidFunction.Image(new Workload.Image(image, contract));
    }

    /** An exec function has no container between calls to keep warm. */
    static void checkMinWarm(Workload.Contract contract, int minWarm) {
        if (contract == Workload.Contract.EXEC && minWarm > 0) {
            throw ApiException.badRequest("minWarm applies to functions that keep containers between calls; "
                    + "an 'exec' image runs one container per call");
        }
    }

    /** Hearth's id of a language ({@code python}) or Lambda's identifier of the runtime its image matches ({@code python3.13}). */
    private static Language language(String runtime) {
        if (runtime == null) {
            throw ApiException.badRequest("runtime is required: one of " + knownRuntimes());
        }
        return Language.byId(runtime).or(() -> Language.byLambdaRuntime(runtime)).orElseThrow(() ->
                ApiException.badRequest("unknown runtime '" + runtime + "'; Hearth has " + knownRuntimes()));
    }

    /** Hearth's ids, then Lambda's identifiers; one that is both ({@code java25}) is named once. */
    static String knownRuntimes() {
        var ids = new java.util.LinkedHashSet<String>();
        for (Language language : Language.values()) {
            ids.add(language.id());
        }
        for (Language language : Language.values()) {
            ids.add(language.lambdaRuntime());
        }
        return String.join(", ", ids);
    }

    /** The code as a zip; {@code files} receives the names of the files in it. */
    private byte[] code(NewFunction request, LanguageRules rules, String handler, Set<String> files) {
        if ((request.source() == null) == (request.archive() == null)) {
            throw ApiException.badRequest("give exactly one of 'source' ({\"filename\",\"content\"}) or 'archive' (a base64 zip)");
        }
        byte[] zip;
        if (request.source() != null) {
            NewFunction.Source source = request.source();
            if (source.filename() == null || !FILENAME.matcher(source.filename()).matches() || !rules.acceptsSourceFile(source.filename())) {
                throw ApiException.badRequest("source.filename must be a plain file name ending in " + rules.sourceExtensionsText()
                        + ", such as " + rules.handlerFiles(handler).get(0).replaceAll(".*/", ""));
            }
            if (source.content() == null) {
                throw ApiException.badRequest("source.content is required");
            }
            byte[] content = source.content().getBytes(StandardCharsets.UTF_8);
            if (content.length > limits.maxCodeBytes()) {
                throw ApiException.tooLarge("source is larger than " + limits.maxCodeBytes() + " bytes");
            }
            zip = Zips.single(source.filename(), content);
            files.add(source.filename());
        } else {
            zip = decodeArchive(request.archive());
            try {
                files.addAll(SafeZip.inspect(zip, ZipLimits.DEFAULT));
            } catch (ArchiveException e) {
                throw e.tooLarge() ? ApiException.tooLarge(e.getMessage()) : ApiException.badRequest("archive: " + e.getMessage());
            }
        }
        if (rules.handlerCheckable(files) && !rules.holdsHandler(files, handler)) {
            throw ApiException.badRequest("handler '" + handler + "' needs " + String.join(" or ", rules.handlerFiles(handler))
                    + " in the code, which has: " + String.join(", ", files.stream().sorted().limit(10).toList()));
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

    private static boolean egress(String network) {
        if (network == null || network.equals("none")) {
            return false;
        }
        if (network.equals("egress")) {
            return true;
        }
        throw ApiException.badRequest("network must be 'none' (the default) or 'egress', got '" + network + "'");
    }

    /**
     * What {@code execve} and the container runtime would refuse at every start (runc fails a
     * container whose environment holds a NUL), and text that has no UTF-8 form (a lone UTF-16
     * surrogate, which a JSON escape such as backslash-uD800 can spell) is refused here, once, instead.
     */
    static void checkEnvValue(String key, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\0') {
                throw ApiException.badRequest("env value of '" + key + "' holds a NUL character, which no process environment can carry");
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw ApiException.badRequest("env value of '" + key + "' holds a lone UTF-16 surrogate, which is not text");
            }
        }
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
            checkEnvValue(e.getKey(), e.getValue());
            bytes += e.getKey().length() + e.getValue().getBytes(StandardCharsets.UTF_8).length;
            checked.put(e.getKey(), e.getValue());
        }
        if (bytes > MAX_ENV_BYTES) {
            throw ApiException.badRequest("env variables total more than " + MAX_ENV_BYTES + " bytes");
        }
        return checked;
    }
}
