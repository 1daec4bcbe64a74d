package dev.softkey.core.ctap2;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;

import dev.softkey.core.OperationContext;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.Permission;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.presence.UserPresence;
import dev.softkey.core.presence.UserRequest;
import java.util.Optional;

/** The pinUvAuthParam steps shared by makeCredential and getAssertion (CTAP 2.1 6.1.2 / 6.2.2 steps 1-2). */
public final class PinUvChecks {
  private PinUvChecks() {}

  /**
   * Step 1: a zero-length pinUvAuthParam asks for a touch (the platform's way to select a key);
   * answer PIN_NOT_SET or PIN_INVALID after it. Step 2: with a pinUvAuthParam, the protocol must be
   * present and supported.
   */
  public static void steps1and2(
      AuthenticatorEnv env, Optional<Bytes> pinUvAuthParam, Optional<Long> protocol, UserRequest request, OperationContext ctx) {
    if (pinUvAuthParam.isEmpty()) {
      return;
    }
    if (pinUvAuthParam.get().isEmpty()) {
      UserPresence.Result r = env.presence().requestPresence(request, ctx);
      if (r == UserPresence.Result.CANCELLED) {
        throw new CtapException(CtapStatus.CTAP2_ERR_KEEPALIVE_CANCEL);
      }
      if (r != UserPresence.Result.APPROVED) {
        throw new CtapException(CtapStatus.CTAP2_ERR_OPERATION_DENIED);
      }
      throw new CtapException(
          env.pin().isPinSet() ? CtapStatus.CTAP2_ERR_PIN_INVALID : CtapStatus.CTAP2_ERR_PIN_NOT_SET);
    }
    if (protocol.isEmpty()) {
      throw new CtapException(CtapStatus.CTAP2_ERR_MISSING_PARAMETER, "pinUvAuthProtocol is missing");
    }
    if (!env.pin().supportedProtocols().contains(protocol.get().intValue())) {
      throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_PARAMETER, "unsupported pinUvAuthProtocol");
    }
  }

  /** Requests user presence and throws the mapped status unless approved. */
  public static void requireUp(AuthenticatorEnv env, UserRequest request, OperationContext ctx) {
    Presence.require(env.presence(), request, ctx);
  }

  /**
   * makeCredential step 10.1 / getAssertion step 6.1: verify the pinUvAuthParam over
   * clientDataHash with the token in use, require the command's permission and a matching (or no)
   * permissions RP ID, require the token's user-verified flag, then bind the token to the RP ID.
   * Every failure is CTAP2_ERR_PIN_AUTH_INVALID.
   */
  public static void verifyTokenFor(
      AuthenticatorEnv env, long protocol, Bytes clientDataHash, Bytes pinUvAuthParam, Permission permission, String rpId) {
    env.pin().verifyToken(protocol, clientDataHash.unsafeArray(), pinUvAuthParam);
    if (!env.pin().tokenHasPermission(permission)) {
      throw new CtapException(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID, "token lacks the " + permission.shortName() + " permission");
    }
    if (env.pin().tokenRpId().isPresent() && !env.pin().tokenRpId().get().equals(rpId)) {
      throw new CtapException(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID, "token is bound to another RP ID");
    }
    if (!env.pin().tokenUserVerified()) {
      throw new CtapException(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID, "token is not user-verified");
    }
    if (env.pin().tokenRpId().isEmpty()) {
      env.pin().bindTokenRpId(rpId);
    }
  }
}
