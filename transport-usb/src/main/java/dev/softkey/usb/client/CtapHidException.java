package dev.softkey.usb.client;

import dev.softkey.usb.ctaphid.CtapHidError;

/**
 * The device answered CTAPHID_ERROR (CTAP 2.1 section 11.2.9.1.6). {@link #error()} is the named
 * code ({@code ERR_OTHER} for a code this build does not name); {@link #code()} is the byte as
 * received.
 */
public final class CtapHidException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final CtapHidError error;
  private final int code;

  public CtapHidException(int code) {
    super(message(code));
    this.code = code & 0xFF;
    this.error = fromCode(code).orElse(CtapHidError.ERR_OTHER);
  }

  public CtapHidException(CtapHidError error) {
    this(error.code());
  }

  /** The error, {@code ERR_OTHER} when the code is not one of CTAP 2.1's. */
  public CtapHidError error() {
    return error;
  }

  /** The error byte as the device sent it. */
  public int code() {
    return code;
  }

  static java.util.Optional<CtapHidError> fromCode(int code) {
    for (CtapHidError e : CtapHidError.values()) {
      if (e.code() == (code & 0xFF)) {
        return java.util.Optional.of(e);
      }
    }
    return java.util.Optional.empty();
  }

  private static String message(int code) {
    String name = fromCode(code).map(Enum::name).orElse("unknown error");
    return String.format("CTAPHID_ERROR %s (0x%02X)", name, code & 0xFF);
  }
}
