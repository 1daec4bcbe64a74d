package dev.softkey.core.pin;

import dev.softkey.ctap.pin.Permission;

import dev.softkey.core.OperationContext;
import dev.softkey.ctap.command.ClientPinRequest;
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
   * Built-in UV for the "uv" option (Bio profiles): performs user verification, counts a mismatch
   * against the UV retries; returns true when verified; throws CTAP2_ERR_UV_BLOCKED,
   * CTAP2_ERR_UV_INVALID, CTAP2_ERR_KEEPALIVE_CANCEL... as the spec's step says.
   */
  boolean performBuiltInUv(String rpId, OperationContext ctx);

  /** Whether built-in UV is configured (getInfo option uv: true) and not blocked. */
  boolean builtInUvEnabled();

  /** getInfo uv option value: empty when the profile has no built-in UV. */
  Optional<Boolean> uvOption();

  /** Volatile state is lost: tokens, the key agreement key, the mismatch-until-power-cycle counters. */
  void powerCycle();

  /** authenticatorReset: forget the PIN, retries back to full, new keys and token. */
  void reset();
}
