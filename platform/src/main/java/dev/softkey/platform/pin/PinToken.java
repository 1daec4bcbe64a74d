package dev.softkey.platform.pin;

import dev.softkey.ctap.pin.PinUvAuthProtocolOne;
import dev.softkey.ctap.pin.PinUvAuthProtocolTwo;

import dev.softkey.ctap.model.Bytes;

/**
 * A pinUvAuthToken as the platform holds it after getPinToken or getPinUvAuthToken*: the protocol
 * it was obtained with and the decrypted token (secret; {@link Bytes#toString()} hides it).
 *
 * @param protocol the pinUvAuthProtocol, 1 or 2
 * @param token the pinUvAuthToken
 */
public record PinToken(int protocol, Bytes token) {
  public PinToken {
    if (protocol != PinUvAuthProtocolOne.VERSION && protocol != PinUvAuthProtocolTwo.VERSION) {
      throw new IllegalArgumentException("pinUvAuthProtocol must be 1 or 2");
    }
    if (token.isEmpty()) {
      throw new IllegalArgumentException("empty pinUvAuthToken");
    }
  }

  /**
   * pinUvAuthParam = authenticate(pinUvAuthToken, message) (CTAP 2.1 section 6.5.4): 16 bytes for
   * protocol 1, 32 for protocol 2. For makeCredential and getAssertion the message is clientDataHash.
   */
  public Bytes authenticate(byte[] message) {
    return Bytes.wrap(
        protocol == PinUvAuthProtocolOne.VERSION
            ? PinUvAuthProtocolOne.mac(token, message)
            : PinUvAuthProtocolTwo.mac(token, message));
  }
}
