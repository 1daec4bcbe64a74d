package dev.softkey.core.ctap2;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborMap;

/** The bytes after the command byte, decoded strictly when the handler asks for them. */
public final class CommandParameters {
  private final byte[] message;

  /** @param message the whole request, command byte first */
  public CommandParameters(byte[] message) {
    this.message = message;
  }

  /** The parameter map: CTAP2_ERR_MISSING_PARAMETER without one, CTAP2_ERR_CBOR_UNEXPECTED_TYPE for anything but a map. */
  public CborMap map() {
    if (message.length == 1) {
      throw new CtapException(CtapStatus.CTAP2_ERR_MISSING_PARAMETER, "parameters are missing");
    }
    Object v = CborDecoder.decode(message, 1, message.length - 1);
    if (v instanceof CborMap m) {
      return m;
    }
    throw new CtapException(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE, "parameters must be a map");
  }

  /** For commands without parameters: anything after the command byte is CTAP1_ERR_INVALID_LENGTH. */
  public void none() {
    if (message.length != 1) {
      throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_LENGTH, "this command takes no parameters");
    }
  }
}
