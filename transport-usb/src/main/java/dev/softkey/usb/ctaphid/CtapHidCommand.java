package dev.softkey.usb.ctaphid;

import java.util.Optional;

/** CTAPHID commands (CTAP 2.1 section 11.2.9), with the initialization-packet bit 0x80 set. */
public enum CtapHidCommand {
  PING(0x81),
  MSG(0x83),
  LOCK(0x84),
  INIT(0x86),
  WINK(0x88),
  CBOR(0x90),
  CANCEL(0x91),
  KEEPALIVE(0xBB),
  ERROR(0xBF);

  private final int code;

  CtapHidCommand(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static Optional<CtapHidCommand> fromCode(int code) {
    for (CtapHidCommand c : values()) {
      if (c.code == (code & 0xFF)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
