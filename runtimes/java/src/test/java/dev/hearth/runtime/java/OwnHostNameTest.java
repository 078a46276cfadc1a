package dev.hearth.runtime.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnHostNameTest {

    @TempDir
    Path dir;

    @AfterEach
    void forgetTheProperty() {
        System.clearProperty(OwnHostName.PROPERTY);
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void aNameDockerLeftOut_getsAHostsFileThatAddsItOnLoopback() throws Exception {
        Path hostname = write("hostname", "22c1b5a032f0\n");
        Path hosts = write("hosts", "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
        Path file = OwnHostName.ensureResolvable(hostname, hosts, dir);
        assertEquals(file.toString(), System.getProperty(OwnHostName.PROPERTY));
        assertEquals("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.0.1\t22c1b5a032f0\n::1\t22c1b5a032f0\n",
                Files.readString(file));
    }

    @Test
    void aNameAlreadyListed_leavesTheResolverAlone() throws Exception {
        Path hostname = write("hostname", "22c1b5a032f0");
        Path hosts = write("hosts", "127.0.0.1 localhost\n# 10.0.0.9 other\n172.18.0.5\t22C1B5A032F0\n");
        assertNull(OwnHostName.ensureResolvable(hostname, hosts, dir));
        assertNull(System.getProperty(OwnHostName.PROPERTY));
    }

    @Test
    void aNameOnlyInAComment_isNotListed() throws Exception {
        Path hostname = write("hostname", "box");
        Path hosts = write("hosts", "127.0.0.1 localhost # box\n");
        assertEquals(dir.resolve("hearth-hosts"), OwnHostName.ensureResolvable(hostname, hosts, dir));
    }

    @Test
    void anEmptyOrStrangeName_changesNothing() throws Exception {
        Path hosts = write("hosts", "127.0.0.1 localhost\n");
        assertNull(OwnHostName.ensureResolvable(write("empty", "\n"), hosts, dir));
        assertNull(OwnHostName.ensureResolvable(write("odd", "a b\tc"), hosts, dir));
        assertNull(System.getProperty(OwnHostName.PROPERTY));
    }
}
