package dev.softkey.platform;

import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.Permission;
import dev.softkey.platform.pin.PlatformPin;
import java.util.Optional;
import java.util.Set;

/**
 * Obtains a pinUvAuthToken from the authenticator, as a platform does before makeCredential /
 * getAssertion (CTAP 2.1 section 6.5.5.7): with a PIN (getPinUvAuthTokenUsingPinWithPermissions, or
 * getPinToken for authenticators without the pinUvAuthToken option) and, where the provider can,
 * with the authenticator's built-in user verification (getPinUvAuthTokenUsingUvWithPermissions).
 * The implementation owns the key agreement and the PIN/UV auth protocol; the client only needs
 * the protocol number and the {@code authenticate} function.
 *
 * <p>Failures are thrown as {@link dev.softkey.ctap.CtapException} with the authenticator's
 * status (CTAP2_ERR_PIN_INVALID, CTAP2_ERR_PIN_BLOCKED, CTAP2_ERR_UV_INVALID, ...); the client
 * turns them into NotAllowedError.
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

  /**
   * A token from the authenticator's built-in user verification
   * (getPinUvAuthTokenUsingUvWithPermissions, CTAP 2.1 section 6.5.5.7.3) for {@code permissions}
   * bound to {@code rpId}; empty when this provider cannot ask for one (the client then falls back
   * to the CTAP 2.0 "uv" option). Failures are thrown like {@link #token}'s: CTAP2_ERR_UV_INVALID
   * (the platform may try again), CTAP2_ERR_UV_BLOCKED (use the PIN),
   * CTAP2_ERR_USER_ACTION_TIMEOUT, ...
   */
  default Optional<PinToken> uvToken(Set<Permission> permissions, String rpId) {
    return Optional.empty();
  }

  /**
   * Tokens from softkey's own platform-side PIN client: getPinUvAuthTokenUsingPinWithPermissions
   * (or getPinToken) with a PIN, getPinUvAuthTokenUsingUvWithPermissions with built-in UV.
   */
  static PinTokenProvider of(PlatformPin pin) {
    return new PinTokenProvider() {
      @Override
      public PinToken token(String pinText, Set<Permission> permissions, String rpId) {
        return adapt(pin.getPinUvAuthToken(pinText, permissions, Optional.of(rpId)));
      }

      @Override
      public Optional<PinToken> uvToken(Set<Permission> permissions, String rpId) {
        return Optional.of(adapt(pin.getUvToken(permissions, Optional.of(rpId))));
      }
    };
  }

  private static PinToken adapt(dev.softkey.platform.pin.PinToken t) {
    return new PinToken() {
      @Override
      public int protocol() {
        return t.protocol();
      }

      @Override
      public Optional<dev.softkey.platform.pin.PinToken> platformToken() {
        return Optional.of(t);
      }

      @Override
      public Bytes authenticate(Bytes message) {
        return t.authenticate(message.toArray());
      }
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

    /**
     * The token as softkey's PIN client holds it, for the platform clients that take one (the
     * large-blob writes of get()'s largeBlob extension); empty for other providers, whose tokens
     * then serve makeCredential and getAssertion only.
     */
    default Optional<dev.softkey.platform.pin.PinToken> platformToken() {
      return Optional.empty();
    }
  }
}
