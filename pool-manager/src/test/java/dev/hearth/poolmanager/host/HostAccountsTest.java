package dev.hearth.poolmanager.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostAccountsTest {

    @TempDir
    Path etc;

    @Test
    void holder_findsAccountsGroupsAndSubordinateRanges() throws Exception {
        Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\nsync:x:4:65534::/bin:/bin/sync\n");
        Files.writeString(etc.resolve("group"), "root:x:0:\nstaff:x:50:\n");
        Files.writeString(etc.resolve("subuid"), "alice:100000:65536\n");
        Files.writeString(etc.resolve("subgid"), "# comment\nalice:300000:65536\n");

        assertEquals(Optional.of("the account 'alice'"), HostAccounts.holder(1000, etc));
        assertEquals(Optional.of("the account 'sync'"), HostAccounts.holder(65534, etc), "a primary gid counts too");
        assertEquals(Optional.of("the group 'staff'"), HostAccounts.holder(50, etc));
        assertTrue(HostAccounts.holder(165535, etc).orElseThrow().contains("subuid"));
        assertTrue(HostAccounts.holder(300001, etc).orElseThrow().contains("subgid"));
        assertEquals(Optional.empty(), HostAccounts.holder(99999, etc));
        assertEquals(Optional.empty(), HostAccounts.holder(165536, etc), "ranges end before start + count");
    }

    @Test
    void holder_ofAnEmptyEtc_isNobody() throws Exception {
        assertEquals(Optional.empty(), HostAccounts.holder(1000, etc));
    }
}
