package dev.hearth.poolmanager.code;

import java.io.IOException;
import java.io.InputStream;

/** Where the pool manager fetches a function's code archive (a zip) by its SHA-256 digest. */
@FunctionalInterface
public interface CodeSource {
    InputStream open(String digest) throws IOException;
}
