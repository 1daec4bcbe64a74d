package dev.softkey.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The control API's bearer token: 32 random bytes, base64url, and the file a client reads it from.
 * The file is written atomically (a temporary file in the same directory, created with mode 0600
 * before a byte is written, then moved over the target) so that a client never reads half a token
 * and no other user can read it at any moment.
 */
public final class TokenFile {
  private TokenFile() {}

  /** A new token from the JDK's SecureRandom. */
  public static String newToken() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** Writes {@code token} and a newline to {@code file}, mode 0600 where POSIX permissions exist. */
  public static void write(Path file, String token) throws IOException {
    Path abs = file.toAbsolutePath();
    Path dir = abs.getParent();
    Files.createDirectories(dir);
    Path tmp;
    boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (posix) {
      tmp = Files.createTempFile(dir, ".token", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      tmp = Files.createTempFile(dir, ".token", ".tmp");
    }
    try {
      Files.writeString(tmp, token + "\n", StandardCharsets.US_ASCII);
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The token in {@code file} (its first line, trimmed). */
  public static String read(Path file) throws IOException {
    String s = Files.readString(file, StandardCharsets.US_ASCII).strip();
    if (s.isEmpty()) {
      throw new IOException("the token file " + file + " is empty");
    }
    return s;
  }
}
