package dev.hearth.poolmanager;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/** What a function runs: source code hot-loaded into a language runtime, or a Docker image of its own. */
public sealed interface Workload permits Workload.Source, Workload.Image {

    /**
     * Code loaded into a pre-started runtime container through the agent's {@code /init}.
     *
     * @param codeDigest SHA-256 of the code archive, the key under which code is fetched and cached
     */
    record Source(Language language, String handler, String codeDigest) implements Workload {
        public Source {
            Objects.requireNonNull(language, "language");
            Objects.requireNonNull(handler, "handler");
            Objects.requireNonNull(codeDigest, "codeDigest");
        }
    }

    /** A Docker image present on the node, run under {@code contract}. */
    record Image(String reference, Contract contract) implements Workload {
        public Image {
            Objects.requireNonNull(reference, "reference");
            Objects.requireNonNull(contract, "contract");
        }
    }

    /** How Hearth talks to an image function. */
    enum Contract {
        /** One container per invocation: the event on stdin, the result on stdout, stderr as the log. */
        EXEC,
        /** A long-running server in the image speaks the agent's {@code /run} protocol on its Unix socket; kept warm. */
        HTTP;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Contract> byId(String id) {
            for (Contract c : values()) {
                if (c.id().equals(id)) {
                    return Optional.of(c);
                }
            }
            return Optional.empty();
        }
    }
}
