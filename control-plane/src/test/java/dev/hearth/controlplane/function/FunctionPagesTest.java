package dev.hearth.controlplane.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.hearth.controlplane.OwnStore;
import dev.hearth.poolmanager.FunctionSettings;
import dev.hearth.poolmanager.Language;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/functions} by pages, over the real driver: following {@code next} from the
 * first page visits each of the owner's functions once, by name, and no other owner's; a page
 * that ends exactly at the last function says nothing follows.
 */
class FunctionPagesTest {

    static final Instant T0 = Instant.parse("2026-12-03T00:00:00Z");

    OwnStore own;
    FunctionStore store;

    @BeforeEach
    void start() {
        own = OwnStore.start();
        store = new FunctionStore(own.database());
    }

    @AfterEach
    void stop() {
        own.close();
    }

    private void create(String owner, String name) {
        var workload = new StoredWorkload.Source(Language.PYTHON, "main.handler", "src", 10, "code", 10);
        var settings = new FunctionSettings(128, 1000, 0, Map.of(), false, 0);
        store.insert(FunctionRecord.defined(owner + "/" + name, owner, name, 1, workload, settings, null, T0, T0, null));
    }

    @Test
    void followingNext_visitsEachOfTheOwnersFunctionsOnce_byName() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            String name = "fn-" + (char) ('a' + (i * 7) % 23);
            create("ann", name);
            create("bob", name + "-bob");
            expected.add(name);
        }
        expected.sort(null);

        List<String> seen = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            FunctionStore.Page page = store.list("ann", after, 5);
            page.functions().forEach(f -> seen.add(f.name()));
            pages++;
            after = page.next();
            if (after != null) {
                assertEquals(5, page.functions().size());
                assertEquals(page.functions().get(4).name(), after);
            }
        } while (after != null);

        assertEquals(expected, seen);
        assertEquals(5, pages);
    }

    @Test
    void aPageEndingAtTheLastFunction_hasNoNext_andOneAfterTheLastIsEmpty() {
        create("ann", "a");
        create("ann", "b");
        FunctionStore.Page all = store.list("ann", null, 2);
        assertEquals(List.of("a", "b"), all.functions().stream().map(FunctionRecord::name).toList());
        assertNull(all.next());

        FunctionStore.Page past = store.list("ann", "b", 2);
        assertEquals(List.of(), past.functions());
        assertNull(past.next());
        assertEquals(List.of(), store.list("cy", null, 100).functions());
    }
}
