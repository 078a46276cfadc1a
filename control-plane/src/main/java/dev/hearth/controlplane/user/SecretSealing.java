package dev.hearth.controlplane.user;

import dev.hearth.controlplane.store.DataFolder;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets that must be read back (SigV4 needs an access key's secret to verify a
 * signature, so it cannot be hashed) with AES-256-GCM under a key kept in a file of the data
 * folder, mode 0600, made at first start. A sealed value is {@code iv (12 bytes) || ciphertext+tag},
 * and its owner's id is the associated data: a sealed secret moved onto another key id does not open.
 * Control planes sharing one store must share this file.
 */
final class SecretSealing {

    static final String KEY_FILE = "access-keys.aes";
    private static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    SecretSealing(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("the sealing key must be " + KEY_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /** The key in {@code dataDir}'s {@value #KEY_FILE}, made (0600) if it is not there yet. */
    static SecretSealing inFolder(Path dataDir) throws IOException {
        Path file = dataDir.resolve(KEY_FILE);
        if (!Files.exists(file)) {
            byte[] fresh = new byte[KEY_BYTES];
            new SecureRandom().nextBytes(fresh);
            Path temp = Files.createTempFile(dataDir, ".access-keys", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.write(temp, fresh);
                // A link, not a move: of two processes making the file at once, the first one's key stands.
                Files.createLink(file, temp);
            } catch (FileAlreadyExistsException raced) {
                // Another control plane or node sharing the folder made it first: read theirs.
            } finally {
                Files.deleteIfExists(temp);
            }
        }
        DataFolder.ownerOnlyFile(file);
        byte[] key = Files.readAllBytes(file);
        if (key.length != KEY_BYTES) {
            throw new IOException(file + " must hold " + KEY_BYTES + " bytes, it holds " + key.length);
        }
        return new SecretSealing(key);
    }

    byte[] seal(String secret, String boundTo) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, iv, boundTo);
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /** @throws GeneralSecurityException when the value was sealed under another key or id, or was altered */
    String open(byte[] sealed, String boundTo) throws GeneralSecurityException {
        if (sealed.length <= IV_BYTES) {
            throw new GeneralSecurityException("sealed value too short");
        }
        byte[] iv = java.util.Arrays.copyOf(sealed, IV_BYTES);
        Cipher cipher = cipher(Cipher.DECRYPT_MODE, iv, boundTo);
        return new String(cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES), StandardCharsets.UTF_8);
    }

    private Cipher cipher(int mode, byte[] iv, String boundTo) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
