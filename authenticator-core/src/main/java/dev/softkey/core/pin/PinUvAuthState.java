package dev.softkey.core.pin;

import dev.softkey.ctap.pin.Permission;

import dev.softkey.core.OperationContext;
import dev.softkey.ctap.command.ClientPinRequest;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.ClientPinResponse;
import dev.softkey.ctap.model.Bytes;
import java.util.List;
import java.util.Optional;

/**
 * The PIN/UV auth state that other commands consult: whether a PIN is set, the pinUvAuthToken with
 * its permissions, RP ID binding and flags (CTAP 2.1 section 6.5.2.1 "pinUvAuthToken state"), and
 * the authenticatorClientPIN command itself. One instance per authenticator.
 */
public interface PinUvAuthState {
  /** The authenticatorClientPIN command (0x06): parameters in, response map (or null) out. */
  ClientPinResponse clientPin(ClientPinRequest request, OperationContext ctx);

  boolean isPinSet();

  /** Current minimum PIN length in code points. */
  int minPinLength();

  /** getInfo forcePINChange. */
  boolean forcePinChange();

  /**
   * The PIN part of authenticatorConfig setMinPINLength (CTAP 2.1 section 6.11.4): a decrease (or
   * more than 63) is CTAP2_ERR_PIN_POLICY_VIOLATION; forceChangePin without a PIN is
   * CTAP2_ERR_PIN_NOT_SET; otherwise the new minimum is stored and forceChangePin, or a stored PIN
   * shorter than the new minimum, sets forcePINChange.
   *
   * @param newMinPinLength empty: keep the current minimum
   */
  void setMinPinLength(Optional<Integer> newMinPinLength, boolean forceChangePin);

  /** getInfo pinUvAuthProtocols, preferred first. */
  List<Integer> supportedProtocols();

  /** Remaining PIN retries (getPINRetries). */
  int pinRetries();

  /**
   * {@code verify(pinUvAuthToken, message, pinUvAuthParam)} with the given protocol (CTAP 2.1
   * section 6.5.4/6.5.7). Throws CTAP1_ERR_INVALID_PARAMETER for an unsupported protocol and
   * CTAP2_ERR_PIN_AUTH_INVALID if no token is in use or the MAC does not match.
   */
  void verifyToken(long protocol, byte[] message, Bytes pinUvAuthParam);

  /**
   * The shared secret of the platform key agreement key {@code keyAgreement} with the
   * authenticator's key of {@code protocol}: decapsulate(keyAgreement), the same ECDH and KDF as
   * clientPIN uses (CTAP 2.1 section 6.5.4), for hmac-secret (section 12.5) and hmac-secret-mc.
   * Throws CTAP1_ERR_INVALID_PARAMETER for an unsupported protocol or a key that is not a P-256
   * point.
   */
  SharedSecret sharedSecret(long protocol, CborMap keyAgreement);

  /** Whether the token in use has this permission. */
  boolean tokenHasPermission(Permission p);

  /** The token's permissions RP ID, if bound. */
  Optional<String> tokenRpId();

  /** Binds the token to an RP ID (when it had none). */
  void bindTokenRpId(String rpId);

  /** getUserPresentFlagValue(): the token's user-present flag, also false once the usage window has passed. */
  boolean tokenUserPresent();

  void clearTokenUserPresent();

  /** getUserVerifiedFlagValue(). */
  boolean tokenUserVerified();

  void clearTokenUserVerified();

  /** Clears all token permissions except lbw (after a makeCredential/getAssertion used the token). */
  void clearTokenPermissionsExceptLbw();

  /**
   * Built-in UV for the "uv" option of makeCredential (CTAP 2.1 section 6.1.2 step 11.2) and
   * getAssertion (section 6.2.2 step 6.2): performBuiltInUv(internalRetry: true), each failed
   * attempt counted against uvRetries; returns true when verified. On error it throws what those
   * steps name: CTAP2_ERR_USER_ACTION_TIMEOUT for a user action timeout, CTAP2_ERR_PIN_BLOCKED when
   * uvRetries is 0 (built-in UV blocked), otherwise CTAP2_ERR_OPERATION_DENIED; a cancel is
   * CTAP2_ERR_KEEPALIVE_CANCEL.
   */
  boolean performBuiltInUv(String rpId, OperationContext ctx);

  /**
   * Whether built-in UV is supported and configured (getInfo option uv: true), blocked or not:
   * makeCredential step 5 / getAssertion step 4 answer CTAP2_ERR_INVALID_OPTION for uv=true without
   * it, and it makes the authenticator "protected by some form of user verification".
   */
  boolean builtInUvEnabled();

  /** getInfo uv option value: empty when the profile has no built-in UV. */
  Optional<Boolean> uvOption();

  /** Volatile state is lost: tokens, the key agreement key, the mismatch-until-power-cycle counters. */
  void powerCycle();

  /** authenticatorReset: forget the PIN, retries back to full, new keys and token. */
  void reset();
}
