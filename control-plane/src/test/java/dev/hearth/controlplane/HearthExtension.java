package dev.hearth.controlplane;

import dev.hearth.poolmanager.PoolManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Hearth for a whole test class, as {@link TestHearth} starts it, with an {@link Api}
 * client; closed, with its data folder, after the class:
 * <pre>{@code @RegisterExtension static HearthExtension hearth = HearthExtension.warm().with("HEARTH_POOL_PYTHON", "2");}</pre>
 * Register it on a static field, so that it starts before the class's {@code @BeforeAll} methods
 * and stops after its {@code @AfterAll} ones.
 */
public final class HearthExtension implements BeforeAllCallback, AfterAllCallback {

    private final boolean warm;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private Clock clock = Clock.systemUTC();
    private boolean ownStore;

    private Path data;
    private Map<String, String> env;
    private OwnStore store;
    private Hearth hearth;
    private Api api;

    private HearthExtension(boolean warm) {
        this.warm = warm;
    }

    /** Starts Hearth and waits until every pool has been filled once: the first call finds a pooled container. */
    public static HearthExtension warm() {
        return new HearthExtension(true);
    }

    /** Starts Hearth without waiting for its pools, for tests that run no function code. */
    public static HearthExtension started() {
        return new HearthExtension(false);
    }

    /** A setting (environment variable) over {@link TestHearth#settings}'s. */
    public HearthExtension with(String name, String value) {
        settings.put(name, value);
        return this;
    }

    /** A clock the test moves (token expiry) instead of the system's. */
    public HearthExtension clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /** Hearth's store is one of the test's own ({@link OwnStore}), which the test reads directly. */
    public HearthExtension ownStore() {
        this.ownStore = true;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        data = Files.createTempDirectory("hearth-test");
        env = TestHearth.settings(data);
        if (ownStore) {
            store = OwnStore.start();
            env.put("HEARTH_MONGO_URI", store.uri());
        }
        env.putAll(settings);
        hearth = TestHearth.start(env, clock);
        if (warm) {
            TestHearth.awaitWarm(hearth);
        }
        api = new Api(hearth.port());
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (hearth != null) {
            hearth.close();
        }
        if (store != null) {
            store.close();
        }
        if (data != null) {
            try (var files = Files.walk(data)) {
                for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(file);
                }
            }
        }
    }

    public Api api() {
        return api;
    }

    public int port() {
        return hearth.port();
    }

    public PoolManager pool() {
        return hearth.pool();
    }

    /** The store the test reads directly; only with {@link #ownStore()}. */
    public OwnStore store() {
        if (store == null) {
            throw new IllegalStateException("no store of the test's own: register with ownStore()");
        }
        return store;
    }

    /** Hearth's data folder ({@code HEARTH_DATA}). */
    public Path data() {
        return data;
    }

    /** The node id Hearth labels its containers with. */
    public String nodeId() {
        return env.get("HEARTH_NODE_ID");
    }
}
