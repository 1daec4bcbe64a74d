package dev.softkey.cli;

import dev.softkey.core.store.StoreException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A store that could not be opened or written, as one line for the user: which store, what
 * failed, the operating system's reason, what to do. Exit code 1 (a failed operation). The cause
 * is the {@link StoreException}, for {@code --verbose}.
 */
final class StoreFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private StoreFailure(String message, StoreException cause) {
    super(message, cause);
  }

  /** {@code FileStore.open} failed. */
  static StoreFailure opening(Path dir, StoreException e) {
    Path d = dir.toAbsolutePath().normalize();
    return new StoreFailure(
        switch (e.reason()) {
          case IO -> "cannot " + (isRead(e) ? "read" : "write") + " store " + d + ": "
              + ioReason(e) + " (check the path, its permissions and free space, or use another --store)";
          case LOCKED -> "store " + d + " is busy: " + detail(e) + " (wait for the other softkey to end, or use another --store)";
          case WRONG_PASSPHRASE -> "cannot open store " + d + ": wrong passphrase (check the variable given with --passphrase-env)";
          case PASSPHRASE_REQUIRED -> "cannot open store " + d + ": it is encrypted (give its passphrase with --passphrase-env VAR)";
          case NOT_ENCRYPTED -> "cannot open store " + d + ": it is not encrypted (drop --passphrase-env)";
          case CORRUPT -> "cannot open store " + d + ": " + detail(e)
              + " (restore a backup, or move the directory away to start a new store)";
          case UNSUPPORTED_VERSION -> "cannot open store " + d + ": " + detail(e) + " (it was written by a newer softkey; use that one)";
        },
        e);
  }

  /** The attestation CA's store ({@code --ca}) could not be opened. */
  static StoreFailure openingCa(Path dir, StoreException e) {
    Path d = dir.toAbsolutePath().normalize();
    return new StoreFailure(
        switch (e.reason()) {
          case IO -> "cannot " + (isRead(e) ? "read" : "write") + " the attestation CA at " + d + ": "
              + ioReason(e) + " (check the path, its permissions and free space, or use another --ca)";
          case LOCKED -> "the attestation CA at " + d + " is busy: " + detail(e) + " (wait for the other softkey to end, or use another --ca)";
          case WRONG_PASSPHRASE, PASSPHRASE_REQUIRED, NOT_ENCRYPTED, CORRUPT -> "cannot open the attestation CA at " + d + ": " + detail(e)
              + " (move the directory away to start a new CA, or use another --ca)";
          case UNSUPPORTED_VERSION -> "cannot open the attestation CA at " + d + ": " + detail(e) + " (it was written by a newer softkey; use that one)";
        },
        e);
  }

  /** A write of the attestation CA's store failed. */
  static StoreFailure writingCa(Path dir, StoreException e) {
    return new StoreFailure(
        "cannot write the attestation CA at " + dir.toAbsolutePath().normalize() + ": " + ioReason(e)
            + " (check the directory, its permissions and free space, or use another --ca)",
        e);
  }

  /** A write of an open store failed (the authenticator answered CTAP1_ERR_OTHER for it). */
  static StoreFailure writing(Path dir, StoreException e) {
    return new StoreFailure(
        "cannot write store " + dir.toAbsolutePath().normalize() + ": " + ioReason(e)
            + " (check the directory, its permissions and free space; the operation was not saved)",
        e);
  }

  /** FileStore's read steps: reading the state file, listing the directory; the others write. */
  private static boolean isRead(StoreException e) {
    return e.getMessage().contains("could not read") || e.getMessage().contains("could not list");
  }

  /** The message without the leading path that StoreException puts first. */
  private static String detail(StoreException e) {
    String prefix = e.path() + ": ";
    String m = e.getMessage();
    return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
  }

  private static String ioReason(StoreException e) {
    return e.getCause() instanceof IOException io ? IoErrors.reason(io) : detail(e);
  }
}
