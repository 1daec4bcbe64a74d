package dev.softkey.core.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A persistent store could not be opened, read or written. The message names the file and what is
 * wrong; it never carries key material, passphrases or credential contents. Unchecked, because the
 * {@link CredentialStore} and {@link DeviceStateStore} SPIs declare no checked exceptions.
 */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, for callers that map failures to exit codes or CTAP statuses. */
  public enum Reason {
    /** The key check in the header does not match the passphrase given. */
    WRONG_PASSPHRASE,
    /** The store is encrypted and no passphrase was given. */
    PASSPHRASE_REQUIRED,
    /** A passphrase was given but the store is not encrypted. */
    NOT_ENCRYPTED,
    /** The file is truncated, modified or otherwise not a valid store (checksum or GCM tag). */
    CORRUPT,
    /** The file's format version (or protection scheme) is not one this softkey reads. */
    UNSUPPORTED_VERSION,
    /** Another process (or another store in this JVM) holds the store's lock. */
    LOCKED,
    /** Reading, writing, syncing or renaming failed at the operating-system level. */
    IO
  }

  private final transient Path path;
  private final Reason reason;

  /** A {@link Reason#CORRUPT} failure of {@code path}: what every parser of the store's files reports. */
  static StoreException corrupt(Path path, String detail) {
    return new StoreException(Reason.CORRUPT, path, detail);
  }

  public StoreException(Reason reason, Path path, String detail) {
    this(reason, path, detail, null);
  }

  public StoreException(Reason reason, Path path, String detail, Throwable cause) {
    super(path + ": " + detail, cause);
    this.reason = Objects.requireNonNull(reason);
    this.path = Objects.requireNonNull(path);
  }

  public Reason reason() {
    return reason;
  }

  /** The file or directory concerned. */
  public Path path() {
    return path;
  }
}
