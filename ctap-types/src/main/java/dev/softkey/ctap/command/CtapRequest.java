package dev.softkey.ctap.command;

import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.cbor.CborEncodable;
import dev.softkey.ctap.cbor.CborEncoder;

/**
 * A CTAP2 request record: the command it belongs to and its parameters as CBOR. {@link #encode()}
 * gives the message a transport carries (command byte, then canonical CBOR, or the command byte
 * alone for a command without parameters).
 */
public interface CtapRequest extends CborEncodable {
  CtapCommand command();

  /** The command byte followed by the parameters. */
  default byte[] encode() {
    Object cbor = toCbor();
    byte[] body = cbor == null ? new byte[0] : CborEncoder.encode(cbor);
    byte[] out = new byte[body.length + 1];
    out[0] = (byte) command().code();
    System.arraycopy(body, 0, out, 1, body.length);
    return out;
  }
}
