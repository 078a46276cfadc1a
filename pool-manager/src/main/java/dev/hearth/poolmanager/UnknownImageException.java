package dev.hearth.poolmanager;

/** An image function names an image this node does not have and could not pull: the caller's mistake to fix. */
public final class UnknownImageException extends RuntimeException {
    public UnknownImageException(String message) {
        super(message);
    }
}
