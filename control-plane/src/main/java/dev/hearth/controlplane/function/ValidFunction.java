package dev.hearth.controlplane.function;

import dev.hearth.poolmanager.FunctionSettings;
import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.Workload;
import java.util.Objects;

/**
 * A function definition that passed every check of {@link FunctionValidator}: a source function's
 * upload, not stored yet, or an image function, with its settings.
 *
 * @param labels the function's labels as given, checked; null when none were given (a {@code PUT} then keeps the function's)
 */
record ValidFunction(String name, Code code, FunctionSettings settings, String description, java.util.Map<String, String> labels) {

    ValidFunction {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(settings, "settings");
    }

    sealed interface Code permits Upload, Image, Same {}

    /**
     * @param zip        the code, one form whatever was sent (a source file is packed into a zip)
     * @param needsBuild the code must go through a builder (dependencies to install, sources to compile)
     */
    record Upload(Language language, String handler, byte[] zip, boolean needsBuild) implements Code {

        /** The upload once stored under {@code digest}: it runs as it is unless it must be built first. */
        StoredWorkload.Source stored(String digest) {
            return needsBuild
                    ? new StoredWorkload.Source(language, handler, digest, zip.length, null, 0)
                    : new StoredWorkload.Source(language, handler, digest, zip.length, digest, zip.length);
        }
    }

    record Image(Workload.Image workload) implements Code {}

    /** The code a version already has, stored and built: a new version that changes only settings. */
    record Same(StoredWorkload workload) implements Code {}

    boolean needsBuild() {
        return code instanceof Upload upload && upload.needsBuild();
    }

    /** The bytes the definition adds to its owner's stored code, before any build. */
    long uploadBytes() {
        return code instanceof Upload upload ? upload.zip().length : 0;
    }
}
