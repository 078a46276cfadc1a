package dev.hearth.controlplane;

/** Python that tenants' attacks in tests share. */
final class HostileCode {

    private HostileCode() {}

    /**
     * {@code fill(paths)}: writes up to 300 MiB to each path, removes it again, and returns how
     * many bytes each took before the writes stopped.
     */
    static final String FILL = """
            import os

            def fill(paths):
                chunk = b"x" * (1024 * 1024)
                written = {}
                for path in paths:
                    n = 0
                    try:
                        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
                    except OSError:
                        written[path] = 0
                        continue
                    try:
                        for _ in range(300):
                            n += os.write(fd, chunk)
                    except OSError:
                        pass
                    finally:
                        os.close(fd)
                        os.unlink(path)
                    written[path] = n
                return written
            """;
}
