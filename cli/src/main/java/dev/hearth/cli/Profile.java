package dev.hearth.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Where the CLI talks to and as whom: the endpoint and token {@code hearth login} stored, in
 * {@code $HEARTH_CONFIG}, else {@code $XDG_CONFIG_HOME/hearth/config}, else
 * {@code ~/.config/hearth/config} (a JSON object, mode 0600, its folder 0700).
 * {@code HEARTH_ENDPOINT} and {@code HEARTH_TOKEN} override what the file says, for scripts and CI.
 */
public record Profile(String endpoint, String username, String token) {

    public static final String DEFAULT_ENDPOINT = "http://localhost:8080";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The file the profile lives in, for this environment. */
    public static Path file(Map<String, String> env) {
        String explicit = env.get("HEARTH_CONFIG");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("hearth").resolve("config");
    }

    /** The stored profile with the environment's overrides; an empty one when nothing is stored. */
    public static Profile load(Map<String, String> env) {
        Path file = file(env);
        String endpoint = null;
        String username = null;
        String token = null;
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            try {
                var node = JSON.readTree(file.toFile());
                endpoint = text(node.get("endpoint"));
                username = text(node.get("username"));
                token = text(node.get("token"));
            } catch (IOException e) {
                throw CliException.usage("cannot read " + file + ": not a Hearth config (run 'hearth login' to write it again)");
            }
        }
        String envEndpoint = env.get("HEARTH_ENDPOINT");
        String envToken = env.get("HEARTH_TOKEN");
        return new Profile(
                envEndpoint != null && !envEndpoint.isBlank() ? envEndpoint : endpoint,
                username,
                envToken != null && !envToken.isBlank() ? envToken : token);
    }

    /** The endpoint to use: the profile's, else the default local one. */
    public String endpointOrDefault() {
        return endpoint != null ? endpoint : DEFAULT_ENDPOINT;
    }

    /** The token, or the error a command needing one gives when there is none. */
    public String requireToken() {
        if (token == null || token.isBlank()) {
            throw new CliException(ExitCode.AUTH, "not logged in: run 'hearth login' first (or set HEARTH_TOKEN)");
        }
        return token;
    }

    /** Writes this profile to {@link #file}, readable by its owner only, replacing the old one whole. */
    public void save(Map<String, String> env) {
        Path file = file(env);
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            ObjectNode node = JSON.createObjectNode();
            node.put("endpoint", endpoint);
            if (username != null) {
                node.put("username", username);
            }
            node.put("token", token);
            Path temp = dir.resolve(".config." + ProcessHandle.current().pid() + ".tmp");
            Files.deleteIfExists(temp);
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (FileAlreadyExistsException e) {
            throw new CliException(ExitCode.FAILED, "cannot write " + file + ": another 'hearth login' is writing it");
        } catch (IOException e) {
            throw new CliException(ExitCode.FAILED, "cannot write " + file + ": " + e.getMessage());
        }
    }

    private static String text(com.fasterxml.jackson.databind.JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
