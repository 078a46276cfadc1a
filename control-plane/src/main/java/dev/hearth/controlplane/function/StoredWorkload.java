package dev.hearth.controlplane.function;

import dev.hearth.poolmanager.Language;
import dev.hearth.poolmanager.Workload;
import java.util.Objects;

/**
 * What a stored function runs: the pool manager's {@link Workload} as the store keeps it. A
 * source function's upload is kept beside the code that runs, which is known only once its build
 * has ended; an image function is its workload already.
 */
public sealed interface StoredWorkload permits StoredWorkload.Source, StoredWorkload.Image {

    /** What a node runs; a source function has it only once its code is ready. */
    Workload workload();

    /**
     * @param sourceSha256 digest of the code as uploaded
     * @param sourceSize   bytes of the upload (0 in records from before it was kept)
     * @param codeSha256   digest of the code that runs: the build's output, or the upload when nothing is built;
     *                     null while it builds and when its build failed
     * @param codeSize     bytes of the code that runs (the build's output, or the upload)
     */
    record Source(Language language, String handler, String sourceSha256, long sourceSize, String codeSha256, long codeSize)
            implements StoredWorkload {

        public Source {
            Objects.requireNonNull(language, "language");
            Objects.requireNonNull(handler, "handler");
        }

        @Override
        public Workload workload() {
            return new Workload.Source(language, handler, codeSha256);
        }

        /** The same upload, running what its build made (nothing when it failed). */
        Source built(String newCodeSha256, long newCodeSize) {
            return new Source(language, handler, sourceSha256, sourceSize, newCodeSha256, newCodeSize);
        }
    }

    record Image(Workload.Image workload) implements StoredWorkload {
        public Image {
            Objects.requireNonNull(workload, "workload");
        }
    }
}
