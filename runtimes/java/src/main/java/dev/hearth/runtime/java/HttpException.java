package dev.hearth.runtime.java;

/** A request the HTTP reader refuses: the status to answer with, after which the connection closes. */
final class HttpException extends Exception {

    private final int status;
    private final String path;

    HttpException(int status, String message, String path) {
        super(message);
        this.status = status;
        this.path = path;
    }

    int status() {
        return status;
    }

    /** The request's path when the request line was readable, else null. */
    String path() {
        return path;
    }
}
