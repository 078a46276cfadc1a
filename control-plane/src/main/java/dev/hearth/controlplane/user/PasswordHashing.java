package dev.hearth.controlplane.user;

import dev.hearth.controlplane.http.ApiException;
import dev.hearth.poolmanager.support.Threads;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.mindrot.jbcrypt.BCrypt;

/**
 * The only place bcrypt runs: a few threads of its own and a short queue, so password work
 * (sign-ups and logins, right or wrong) never takes more than those threads' share of the CPU,
 * whoever sends it. A client address holds at most a few places; past that, or with the queue
 * full, the answer is 429 at once rather than a wait that grows with the burst.
 */
final class PasswordHashing implements AutoCloseable {

    static final int COST = 10;
    /** Checked when the user does not exist, so a login costs the same either way. */
    private static final String DUMMY_HASH = BCrypt.hashpw("no such user", BCrypt.gensalt(COST));

    private final AuthSettings.Hashing settings;
    private final ThreadPoolExecutor executor;
    private final ConcurrentHashMap<String, Integer> perClient = new ConcurrentHashMap<>();

    PasswordHashing(AuthSettings.Hashing settings) {
        this.settings = settings;
        this.executor = new ThreadPoolExecutor(settings.threads(), settings.threads(), 0, TimeUnit.MILLISECONDS,
                settings.queue() == 0 ? new java.util.concurrent.SynchronousQueue<>() : new ArrayBlockingQueue<>(settings.queue()),
                Threads.daemon("hearth-bcrypt"), new ThreadPoolExecutor.AbortPolicy());
    }

    String hash(String client, String password) {
        return run(client, () -> BCrypt.hashpw(password, BCrypt.gensalt(COST)));
    }

    /** Whether {@code password} matches {@code storedHash}; null (no such user) costs the same and never matches. */
    boolean matches(String client, String password, String storedHash) {
        boolean matches = run(client, () -> BCrypt.checkpw(password, storedHash == null ? DUMMY_HASH : storedHash));
        return storedHash != null && matches;
    }

    <T> T run(String client, Callable<T> work) {
        admit(client);
        try {
            Future<T> result;
            try {
                result = executor.submit(work);
            } catch (RejectedExecutionException e) {
                throw new RetryLater(1, "too many logins and sign-ups at once; try again in a second");
            }
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while checking the password");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("password hashing failed", e.getCause());
        } finally {
            perClient.computeIfPresent(client, (k, held) -> held <= 1 ? null : held - 1);
        }
    }

    private void admit(String client) {
        boolean[] admitted = {false};
        perClient.compute(client, (k, held) -> {
            int now = held == null ? 0 : held;
            if (now >= settings.perAddress()) {
                return held;
            }
            admitted[0] = true;
            return now + 1;
        });
        if (!admitted[0]) {
            throw new RetryLater(1, "too many logins and sign-ups at once from this address; try again in a second");
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
