package io.sagaz.fleet.app.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The bearer token for {@code /api/v1/*}: the configured one, else the one an earlier start wrote to
 * {@code <dataDir>/admin-token}, else a new random one written there (readable by the owner only).
 *
 * @param value     the token
 * @param generated true when this start created it (the node prints it once)
 * @param file      where a generated token is kept
 */
public record AdminToken(String value, boolean generated, Path file) {
  static final String FILE_NAME = "admin-token";

  public static AdminToken resolve(Optional<String> configured, Path dataDir) throws IOException {
    Path file = dataDir.resolve(FILE_NAME);
    if (configured.isPresent()) {
      return new AdminToken(configured.get(), false, file);
    }
    if (Files.isRegularFile(file)) {
      String stored = Files.readString(file).trim();
      if (stored.length() >= 16) {
        return new AdminToken(stored, false, file);
      }
    }
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Files.deleteIfExists(file);
    try {
      // created owner-only before the secret is written, so it is never readable by others
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file); // not a POSIX file system (Windows): the directory's permissions have to do
    }
    Files.writeString(file, token + "\n");
    return new AdminToken(token, true, file);
  }
}
