package dev.hearth.poolmanager.pool;

import dev.hearth.poolmanager.PoolException;
import dev.hearth.poolmanager.UnknownImageException;
import dev.hearth.poolmanager.docker.ContainerEngine;
import dev.hearth.poolmanager.image.ImageReference;
import dev.hearth.poolmanager.image.RegistryGuard;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure an image function's image is on this node. An image already here is used as it is,
 * with no network at all; otherwise it is pulled only when {@link RegistryGuard} lets its registry
 * be contacted. Callers get Hearth's words only: what a daemon or registry said can hold anything
 * the far end chose to send back (an internal service's answer, when the far end is one), so it
 * goes to the server's log.
 */
final class ImagePuller {

    private static final Logger log = LoggerFactory.getLogger(ImagePuller.class);
    static final Duration PULL_TIMEOUT = Duration.ofMinutes(5);

    private final ContainerEngine engine;
    private final RegistryGuard guard;

    ImagePuller(ContainerEngine engine, RegistryGuard guard) {
        this.engine = engine;
        this.guard = guard;
    }

    /**
     * @throws UnknownImageException the image is not here and may not or could not be pulled
     * @throws PoolException         the engine could not be asked
     */
    void require(String image) {
        ImageReference reference;
        try {
            reference = ImageReference.parse(image);
        } catch (IllegalArgumentException e) {
            throw new UnknownImageException("'" + image + "' is not an image reference: " + e.getMessage());
        }
        if (present(image)) {
            return;
        }
        var refusal = guard.check(reference);
        if (refusal.isPresent()) {
            log.info("not pulling {}: {}{}", image, refusal.get().reason(),
                    refusal.get().detail() == null ? "" : " (" + refusal.get().detail() + ")");
            throw new UnknownImageException(refusal.get().message());
        }
        try {
            engine.pull(image, PULL_TIMEOUT);
        } catch (IOException e) {
            log.info("pulling {} from {} failed: {}", image, reference.registry(), e.getMessage());
            throw new UnknownImageException("the image '" + image + "' is not on this node, and pulling it from "
                    + reference.registry() + " failed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw PoolException.unavailable("interrupted while pulling " + image);
        }
        if (!present(image)) {
            throw new UnknownImageException("the image '" + image + "' is not on this node");
        }
    }

    private boolean present(String image) {
        try {
            return engine.imageExists(image);
        } catch (RuntimeException e) {
            log.warn("cannot ask the container engine about {}: {}", image, e.getMessage());
            throw new PoolException("cannot ask the container engine about " + image, e);
        }
    }
}
