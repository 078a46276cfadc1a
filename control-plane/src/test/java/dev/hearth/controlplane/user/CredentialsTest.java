package dev.hearth.controlplane.user;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hearth.controlplane.http.ApiException;
import org.junit.jupiter.api.Test;

class CredentialsTest {

    @Test
    void validateNew_acceptsReasonableAccounts() {
        assertDoesNotThrow(() -> new Credentials("alice", "long enough").validateNew());
        assertDoesNotThrow(() -> new Credentials("a_b-9", "é".repeat(36)).validateNew(), "72 bytes of UTF-8 exactly");
    }

    @Test
    void validateNew_refusesWhatBcryptOrUrlsCannotHold() {
        for (Credentials bad : new Credentials[] {
                new Credentials("Al", "long enough"), new Credentials("UPPER", "long enough"), new Credentials(null, "long enough"),
                new Credentials("alice", "short"), new Credentials("alice", "é".repeat(37)), new Credentials("alice", null)}) {
            assertEquals(400, assertThrows(ApiException.class, bad::validateNew).status(), bad.toString());
        }
    }

    @Test
    void validateLogin_refusesWhatSignUpRefuses_overBcrypts72Bytes() {
        assertDoesNotThrow(() -> new Credentials("alice", "p".repeat(72)).validateLogin());
        assertDoesNotThrow(() -> new Credentials("alice", "x").validateLogin(), "old rules' short passwords still log in");
        assertEquals(400, assertThrows(ApiException.class, () -> new Credentials("alice", "p".repeat(73)).validateLogin()).status());
        assertEquals(400, assertThrows(ApiException.class, () -> new Credentials("alice", "é".repeat(37)).validateLogin()).status());
        assertEquals(400, assertThrows(ApiException.class, () -> new Credentials("alice", null).validateLogin()).status());
    }

    @Test
    void toString_neverShowsThePassword() {
        assertFalse(new Credentials("alice", "hunter2hunter2").toString().contains("hunter2"));
    }

    @Test
    void tokenHash_isStableAndNotTheToken() {
        assertEquals(Tokens.hash("hth_abc"), Tokens.hash("hth_abc"));
        assertEquals(64, Tokens.hash("hth_abc").length());
        assertFalse(Tokens.hash("hth_abc").contains("abc"));
    }
}
