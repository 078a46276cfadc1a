package dev.hearth.cli.dev;

import dev.hearth.cli.deploy.Bundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Watches a project for saves: its folder and every folder under it (new ones as they appear),
 * but not the folders a bundle leaves out ({@code .git}, {@code node_modules}, {@code target} …),
 * so a build's output or an install never looks like an edit; or, for a one-file project, that
 * file alone. A burst of events (an editor's save writes, renames and deletes) is one change: it
 * ends once nothing more happened for the quiet time. Links are never followed.
 */
final class FolderWatch implements AutoCloseable {

    /** However busy the folder, a change is reported at most this long after it began. */
    static final Duration MAX_BURST = Duration.ofSeconds(2);

    private final WatchService service;
    private final Path root;
    private final String onlyFile;
    private final Map<WatchKey, Path> folders = new HashMap<>();

    /** Watches {@code project}: a folder, or one file (its folder is watched for that name). */
    FolderWatch(Path project) {
        Path absolute = project.toAbsolutePath().normalize();
        boolean file = Files.isRegularFile(absolute, LinkOption.NOFOLLOW_LINKS);
        this.root = file ? absolute.getParent() : absolute;
        this.onlyFile = file ? absolute.getFileName().toString() : null;
        try {
            this.service = FileSystems.getDefault().newWatchService();
            if (file) {
                register(root);
            } else {
                registerTree(root);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits up to {@code wait} for a change, then for {@code quiet} of no further events: the
     * paths changed (empty when nothing changed in time), or null once the watch is closed.
     */
    Set<Path> next(Duration wait, Duration quiet) throws InterruptedException {
        Set<Path> changed = new LinkedHashSet<>();
        try {
            long deadline = System.nanoTime() + wait.toNanos();
            while (changed.isEmpty()) {
                long left = deadline - System.nanoTime();
                WatchKey key = left <= 0 ? null : service.poll(left, TimeUnit.NANOSECONDS);
                if (key == null) {
                    return changed;
                }
                handle(key, changed);
            }
            long burstEnd = System.nanoTime() + MAX_BURST.toNanos();
            for (WatchKey key; System.nanoTime() < burstEnd && (key = service.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null; ) {
                handle(key, changed);
            }
            return changed;
        } catch (ClosedWatchServiceException e) {
            return null;
        }
    }

    private void handle(WatchKey key, Set<Path> changed) {
        Path folder = folders.get(key);
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                changed.add(folder == null ? root : folder);
                continue;
            }
            if (folder == null || !(event.context() instanceof Path name)) {
                continue;
            }
            if (onlyFile != null && !name.toString().equals(onlyFile)) {
                continue;
            }
            Path path = folder.resolve(name);
            if (onlyFile == null && Bundle.skipsFolder(name.toString()) && !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            if (onlyFile == null && event.kind() == StandardWatchEventKinds.ENTRY_CREATE
                    && Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    registerTree(path);
                } catch (IOException e) {
                    // Gone again already: nothing to watch in it.
                }
            }
            changed.add(path);
        }
        if (!key.reset()) {
            folders.remove(key);
        }
    }

    private void registerTree(Path top) throws IOException {
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(root) && Bundle.skipsFolder(dir.getFileName().toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                register(dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private void register(Path dir) throws IOException {
        folders.put(dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE), dir);
    }

    /** How many folders are watched (for tests). */
    int folders() {
        return folders.size();
    }

    /** Ends the watch: a {@link #next} waiting returns null at once. */
    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            // Closing: nothing left to do with it.
        }
    }
}
