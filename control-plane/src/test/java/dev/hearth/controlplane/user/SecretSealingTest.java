package dev.hearth.controlplane.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretSealingTest {

    @TempDir
    Path data;

    @Test
    void sealedSecrets_openOnlyWithTheirKeyAndId() throws Exception {
        SecretSealing sealing = SecretSealing.inFolder(data);
        byte[] sealed = sealing.seal("s3cr3t/with+chars", "HKIAAAAAAAAAAAAAAAAA");
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("s3cr3t"));
        assertEquals("s3cr3t/with+chars", sealing.open(sealed, "HKIAAAAAAAAAAAAAAAAA"));
        // The same folder's key opens it again (a restart); another id, a changed byte or another key does not.
        assertEquals("s3cr3t/with+chars", SecretSealing.inFolder(data).open(sealed, "HKIAAAAAAAAAAAAAAAAA"));
        assertThrows(GeneralSecurityException.class, () -> sealing.open(sealed, "HKIABBBBBBBBBBBBBBBB"));
        sealed[sealed.length - 1] ^= 1;
        assertThrows(GeneralSecurityException.class, () -> sealing.open(sealed, "HKIAAAAAAAAAAAAAAAAA"));
        byte[] other = new SecretSealing(new byte[32]).seal("x", "id");
        assertThrows(GeneralSecurityException.class, () -> sealing.open(other, "id"));
    }

    @Test
    void theKeyFile_isOwnerOnly() throws Exception {
        SecretSealing.inFolder(data);
        Path file = data.resolve(SecretSealing.KEY_FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(32, Files.size(file));
        try (var files = Files.list(data)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }
}
