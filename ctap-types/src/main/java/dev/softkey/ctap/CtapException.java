package dev.softkey.ctap;

/**
 * The one failure type inside the core: a CTAP status. The dispatcher turns it into the status
 * byte. Messages never carry secrets.
 */
public final class CtapException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient CtapStatus status;

  public CtapException(CtapStatus status) {
    this(status, status.meaning());
  }

  public CtapException(CtapStatus status, String detail) {
    // With a stack trace, so that --verbose and logs can say where a status came from; it is made
    // only when a request fails.
    super(status.name() + ": " + detail);
    this.status = status;
  }

  public CtapStatus status() {
    return status;
  }

  /** Throws {@code new CtapException(status)} unless {@code condition} holds. */
  public static void check(boolean condition, CtapStatus status) {
    if (!condition) {
      throw new CtapException(status);
    }
  }
}
