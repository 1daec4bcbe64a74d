package dev.softkey.ctap;

import java.util.Optional;

/** CTAP2 command bytes (CTAP 2.1 section 6, "Authenticator API"). */
public enum CtapCommand {
  MAKE_CREDENTIAL(0x01),
  GET_ASSERTION(0x02),
  GET_INFO(0x04),
  CLIENT_PIN(0x06),
  RESET(0x07),
  GET_NEXT_ASSERTION(0x08),
  BIO_ENROLLMENT(0x09),
  CREDENTIAL_MANAGEMENT(0x0A),
  SELECTION(0x0B),
  LARGE_BLOBS(0x0C),
  CONFIG(0x0D),
  BIO_ENROLLMENT_PREVIEW(0x40),
  CREDENTIAL_MANAGEMENT_PREVIEW(0x41);

  private final int code;

  CtapCommand(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static Optional<CtapCommand> fromCode(int code) {
    for (CtapCommand c : values()) {
      if (c.code == (code & 0xFF)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
