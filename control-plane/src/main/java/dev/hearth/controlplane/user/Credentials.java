package dev.hearth.controlplane.user;

import dev.hearth.controlplane.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** The body of {@code POST /v1/users} and {@code POST /v1/tokens}. */
public record Credentials(String username, String password) {

    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9_-]{2,31}");
    static final int MIN_PASSWORD = 8;
    /** bcrypt reads at most 72 bytes; a longer password would be silently truncated. */
    static final int MAX_PASSWORD_BYTES = 72;

    /** Checks a new account's fields, with a message a person can act on. */
    void validateNew() {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw ApiException.badRequest("username must be 3-32 characters: lowercase letters, digits, '_' or '-', "
                    + "starting with a letter or digit");
        }
        if (password == null || password.length() < MIN_PASSWORD) {
            throw ApiException.badRequest("password must be at least " + MIN_PASSWORD + " characters");
        }
        checkPasswordBytes();
    }

    /**
     * Checks a login's fields. A password longer than bcrypt reads is refused here as at sign-up:
     * otherwise the 72-byte password plus anything would log in.
     */
    void validateLogin() {
        if (username == null || password == null) {
            throw ApiException.badRequest("username and password are required");
        }
        checkPasswordBytes();
    }

    /** Whether an account could have this username at all; one that could not needs no password check. */
    boolean plausibleUsername() {
        return username != null && USERNAME.matcher(username).matches();
    }

    private void checkPasswordBytes() {
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw ApiException.badRequest("password must be at most " + MAX_PASSWORD_BYTES + " bytes in UTF-8");
        }
    }

    @Override
    public String toString() {
        return "Credentials[username=" + username + ", password=***]";
    }
}
