package dev.softkey.core.pin;

import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.PinUvAuthProtocol;
import java.util.Optional;

/**
 * A shared secret the authenticator computed with decapsulate(keyAgreement) (CTAP 2.1 section
 * 6.5.4) for one platform key agreement key, with the protocol whose encrypt, decrypt and verify go
 * with it. hmac-secret (section 12.5) and hmac-secret-mc (CTAP 2.2) use it outside
 * authenticatorClientPIN. The secret never appears in {@link #toString()}.
 *
 * @param protocol the PIN/UV auth protocol (1 or 2) the secret belongs to
 * @param secret the shared secret: 32 bytes for protocol 1, 64 for protocol 2
 */
public record SharedSecret(PinUvAuthProtocol protocol, Bytes secret) {
  /** verify(shared secret, message, signature). */
  public boolean verify(Bytes message, Bytes signature) {
    return protocol.verify(secret, message.unsafeArray(), signature);
  }

  /** decrypt(shared secret, ciphertext); empty when the ciphertext has an impossible length. */
  public Optional<Bytes> decrypt(Bytes ciphertext) {
    return protocol.decrypt(secret, ciphertext);
  }

  /** encrypt(shared secret, plaintext); protocol 2 draws a random IV from the authenticator's random source. */
  public Bytes encrypt(Bytes plaintext) {
    return protocol.encrypt(secret, plaintext);
  }

  @Override
  public String toString() {
    return "SharedSecret[protocol " + protocol.version() + "]";
  }
}
