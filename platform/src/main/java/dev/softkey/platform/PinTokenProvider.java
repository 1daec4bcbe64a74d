package dev.softkey.platform;

import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.Permission;
import java.util.Set;

/**
 * Obtains a pinUvAuthToken from the authenticator with a PIN, as a platform does before
 * makeCredential / getAssertion (CTAP 2.1 section 6.5.5.7: getPinUvAuthTokenUsingPinWithPermissions,
 * or getPinToken for authenticators without the pinUvAuthToken option). The implementation owns the
 * key agreement and the PIN/UV auth protocol; the client only needs the protocol number and the
 * {@code authenticate} function.
 *
 * <p>Failures are thrown as {@link dev.softkey.ctap.CtapException} with the authenticator's
 * status (CTAP2_ERR_PIN_INVALID, CTAP2_ERR_PIN_BLOCKED, ...); the client turns them into
 * NotAllowedError.
 */
@FunctionalInterface
public interface PinTokenProvider {
  /**
   * Gets a token for {@code permissions} bound to {@code rpId}.
   *
   * @param pin the PIN; never logged or put in a message
   * @param permissions the permissions to request (mc for create, ga for get)
   * @param rpId the permissions RP ID
   */
  PinToken token(String pin, Set<Permission> permissions, String rpId);

  /** Tokens from softkey's own platform-side PIN client (getPinUvAuthTokenUsingPinWithPermissions). */
  static PinTokenProvider of(dev.softkey.platform.pin.PlatformPin pin) {
    return (pinText, permissions, rpId) -> {
      dev.softkey.platform.pin.PinToken t = pin.getPinUvAuthToken(pinText, permissions, java.util.Optional.of(rpId));
      return new PinToken() {
        @Override
        public int protocol() {
          return t.protocol();
        }

        @Override
        public Bytes authenticate(Bytes message) {
          return t.authenticate(message.toArray());
        }
      };
    };
  }

  /** A pinUvAuthToken held by the platform. Implementations must not print the token. */
  interface PinToken {
    /** The pinUvAuthProtocol (1 or 2) the token was obtained with. */
    int protocol();

    /**
     * {@code authenticate(pinUvAuthToken, message)} of the token's protocol (CTAP 2.1 sections
     * 6.5.6 and 6.5.7): the first 16 bytes of HMAC-SHA-256 for protocol 1, all 32 for protocol 2.
     */
    Bytes authenticate(Bytes message);
  }
}
