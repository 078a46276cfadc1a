package dev.hearth.controlplane.function;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes code archives no function refers to once they have been untouched for the grace
 * period. References are every function's upload and running code, a pending version's
 * included; the {@code builds} collection is only a cache, so its entries go with the output
 * they name. Safe beside a racing {@link CodeStore#put} (the deletion is conditional on the
 * archive still being untouched) and beside other control planes sweeping the same store.
 */
final class ArchiveSweep {

    private static final Logger log = LoggerFactory.getLogger(ArchiveSweep.class);
    /** Chunks without a file are only taken for orphans when their upload began this long ago. */
    private static final Duration ORPHAN_AGE = Duration.ofDays(1);
    private static final Duration MIN_EVERY = Duration.ofSeconds(1);
    private static final Duration MAX_EVERY = Duration.ofMinutes(1);

    private final FunctionStore functions;
    private final CodeStore code;
    private final Consumer<String> outputGone;
    private final Duration grace;
    private final Clock clock;

    /** @param outputGone told the digest of each deleted archive, to forget builds that made it */
    ArchiveSweep(FunctionStore functions, CodeStore code, Consumer<String> outputGone, Duration grace, Clock clock) {
        this.functions = functions;
        this.code = code;
        this.outputGone = outputGone;
        this.grace = grace;
        this.clock = clock;
    }

    /** Every half grace period, within [1 s, 1 min]. */
    Duration every() {
        Duration half = grace.dividedBy(2);
        return half.compareTo(MIN_EVERY) < 0 ? MIN_EVERY : half.compareTo(MAX_EVERY) > 0 ? MAX_EVERY : half;
    }

    /** One pass; returns how many archives it deleted. */
    int run() {
        Instant now = clock.instant();
        Instant cutoff = now.minus(grace);
        // Read after the cutoff is fixed: a function stored later has touched its code after the cutoff.
        Set<String> referenced = functions.referencedDigests();
        int deleted = 0;
        for (CodeStore.Stored archive : code.untouchedSince(cutoff)) {
            if (!referenced.contains(archive.digest()) && code.deleteIfUntouched(archive.id(), cutoff)) {
                outputGone.accept(archive.digest());
                deleted++;
            }
        }
        int orphans = code.deleteOrphanChunks(now.minus(ORPHAN_AGE));
        if (deleted > 0 || orphans > 0) {
            log.info("swept {} unreferenced code archive(s){}", deleted, orphans > 0 ? " and " + orphans + " orphaned chunk(s)" : "");
        }
        return deleted;
    }
}
