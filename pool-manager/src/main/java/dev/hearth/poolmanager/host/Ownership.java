package dev.hearth.poolmanager.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Hands host files to a uid. Only the path itself changes owner, never what a link there points
 * to: a tenant who planted a link must not get a host file handed to it.
 */
public final class Ownership {

    private Ownership() {}

    /**
     * Gives {@code path} to the uid containers run as (as its group too).
     *
     * @throws UnsupportedOperationException the file system has no Unix owners
     */
    public static void toContainerUser(Path path, int uid) throws IOException {
        set(path, uid, uid);
    }

    /**
     * Gives {@code path} to {@code uid} and {@code gid}.
     *
     * @throws IOException                   not permitted (a process that is not root)
     * @throws UnsupportedOperationException the file system has no Unix owners
     */
    public static void set(Path path, int uid, int gid) throws IOException {
        Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
    }
}
