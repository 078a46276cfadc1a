package dev.hearth.controlplane.function;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How code is built.
 *
 * @param caBundle  a CA folder like {@code /etc/ssl/certs} given to builders, or null
 * @param diskMb    size of a build's workspace (source, output, its owner's caches), a tmpfs; 0 for a plain folder
 * @param slots     builds one control plane runs at once, all users together
 * @param userSlots builds of one user one control plane runs at once
 */
public record BuildSettings(String image, Path caBundle, Duration timeout, int memoryMb, int diskMb, int slots, int userSlots) {
    public BuildSettings {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(timeout, "timeout");
        if (slots < 1) {
            throw new IllegalArgumentException("HEARTH_BUILD_SLOTS must be >= 1, got " + slots);
        }
        if (userSlots < 1 || userSlots > slots) {
            throw new IllegalArgumentException("HEARTH_BUILD_USER_SLOTS must be between 1 and HEARTH_BUILD_SLOTS (" + slots
                    + "), got " + userSlots);
        }
        if (diskMb < 0) {
            throw new IllegalArgumentException("HEARTH_BUILD_DISK_MB must be >= 0, got " + diskMb);
        }
    }
}
