package dev.softkey.core.ctap2;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;

import dev.softkey.core.OperationContext;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.Permission;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.presence.UserPresence;
import dev.softkey.core.presence.UserRequest;
import java.util.List;
import java.util.Optional;

/**
 * The steps makeCredential (CTAP 2.1 section 6.1.2) and getAssertion (6.2.2) share, written once:
 * the zero-length pinUvAuthParam and protocol checks (steps 1-2 of both), the "uv" option (MC 5,
 * GA 4), user verification (MC 11, GA 6) and user presence with the token flags cleared after it
 * (MC 13-14, GA 8-9).
 */
public final class UserChecks {
  private UserChecks() {}

  /**
   * What user verification established.
   *
   * @param uv the "uv" bit of the response
   * @param userInteraction built-in UV also gave evidence of user interaction (MC step 13, GA step 8)
   * @param tokenUsed a pinUvAuthToken was verified (its user-present flag may stand in for a touch)
   */
  public record Verification(boolean uv, boolean userInteraction, boolean tokenUsed) {
    public static final Verification NONE = new Verification(false, false, false);
  }

  /**
   * MC step 5 / GA step 4, the "uv" option: with a pinUvAuthParam it is treated as false; true
   * without an enabled built-in UV method is CTAP2_ERR_INVALID_OPTION.
   *
   * @return whether built-in UV is requested
   */
  public static boolean uvOption(AuthenticatorEnv env, Optional<Bytes> pinUvAuthParam, Optional<Boolean> uv) {
    boolean requested = pinUvAuthParam.isEmpty() && uv.orElse(false);
    if (requested && !env.pin().builtInUvEnabled()) {
      throw new CtapException(CtapStatus.CTAP2_ERR_INVALID_OPTION, "no built-in user verification");
    }
    return requested;
  }

  /**
   * MC step 11 / GA step 6: with a pinUvAuthParam, verify it over clientDataHash with the command's
   * permission and RP ID (11.1 / 6.1); with the "uv" option, performBuiltInUv (11.2 / 6.2), whose
   * failure is the status it throws.
   */
  public static Verification verifyUser(
      AuthenticatorEnv env,
      Optional<Bytes> pinUvAuthParam,
      Optional<Long> protocol,
      boolean builtInUvRequested,
      Bytes clientDataHash,
      Permission permission,
      String rpId,
      OperationContext ctx) {
    if (pinUvAuthParam.isPresent()) {
      verifyTokenFor(env, protocol.orElseThrow(), clientDataHash, pinUvAuthParam.get(), permission, rpId);
      return new Verification(true, false, true);
    }
    if (builtInUvRequested) {
      env.pin().performBuiltInUv(rpId, ctx);
      return new Verification(true, true, false);
    }
    return Verification.NONE;
  }

  /**
   * Whether the user is already known to be present: built-in UV just now (MC 13 / GA 8) or the
   * token's user-present flag (MC 14.2 / GA 9.1).
   */
  public static boolean userAlreadyPresent(AuthenticatorEnv env, Verification v) {
    return v.userInteraction() || (v.tokenUsed() && env.pin().tokenUserPresent());
  }

  /**
   * MC steps 13-14 / GA steps 8-9 for up=true: request user presence unless {@link
   * #userAlreadyPresent}, then clearUserPresentFlag(), clearUserVerifiedFlag() and
   * clearPinUvAuthTokenPermissionsExceptLbw() when a token was used. The "up" bit is then true.
   */
  public static void requirePresence(AuthenticatorEnv env, Verification v, UserRequest request, OperationContext ctx) {
    if (!userAlreadyPresent(env, v)) {
      Presence.require(env.presence(), request, ctx);
    }
    if (v.tokenUsed()) {
      env.pin().clearTokenUserPresent();
      env.pin().clearTokenUserVerified();
      env.pin().clearTokenPermissionsExceptLbw();
    }
  }

  /**
   * MC step 6 / GA step 5, when the alwaysUv option is true (GA: and "up" is true). Not protected
   * by some form of user verification: clientPin is supported (for the command's permission), so
   * CTAP2_ERR_PUAT_REQUIRED, the platform is to set a PIN first (6.2.2 / 5.1.2's
   * CTAP2_ERR_OPERATION_DENIED is for keys without clientPin; softkey has it). With a
   * pinUvAuthParam, or "uv" true (built-in UV at MC 11.2 / GA 6.2), the command goes on; neither
   * is CTAP2_ERR_PUAT_REQUIRED.
   */
  public static void alwaysUv(AuthenticatorEnv env, Optional<Bytes> pinUvAuthParam, boolean builtInUvRequested) {
    if (!env.protectedByUv()) {
      throw new CtapException(CtapStatus.CTAP2_ERR_PUAT_REQUIRED, "alwaysUv: set a PIN");
    }
    if (pinUvAuthParam.isEmpty() && !builtInUvRequested) {
      throw new CtapException(CtapStatus.CTAP2_ERR_PUAT_REQUIRED, "alwaysUv: user verification is required");
    }
  }

  /**
   * The token steps of the commands whose pinUvAuthParam covers a subcommand message
   * (credentialManagement, bioEnrollment, authenticatorConfig): pinUvAuthParam absent:
   * CTAP2_ERR_PUAT_REQUIRED; pinUvAuthProtocol absent: CTAP2_ERR_MISSING_PARAMETER; not supported:
   * CTAP1_ERR_INVALID_PARAMETER; verify(pinUvAuthToken, message, pinUvAuthParam) fails:
   * CTAP2_ERR_PIN_AUTH_INVALID. The permission is the caller's to check, after this.
   */
  public static void verifyToken(AuthenticatorEnv env, Optional<Bytes> pinUvAuthParam, Optional<Long> protocol, Bytes message) {
    Bytes param = pinUvAuthParam.orElseThrow(() -> new CtapException(CtapStatus.CTAP2_ERR_PUAT_REQUIRED));
    long version =
        protocol.orElseThrow(() -> new CtapException(CtapStatus.CTAP2_ERR_MISSING_PARAMETER, "pinUvAuthProtocol is missing"));
    env.pin().verifyToken(version, message.unsafeArray(), param);
  }

  /** After {@link #verifyToken}: the token lacks {@code permission}: CTAP2_ERR_PIN_AUTH_INVALID. */
  public static void requirePermission(AuthenticatorEnv env, Permission permission) {
    if (!env.pin().tokenHasPermission(permission)) {
      throw new CtapException(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID, "token lacks the " + permission.shortName() + " permission");
    }
  }

  /**
   * A credential list (excludeList, allowList) longer than the model's maxCredentialCountInList
   * (getInfo 0x07): CTAP2_ERR_LIMIT_EXCEEDED, before any user interaction. CTAP 2.1 section 6.4
   * only tells the platform to batch its lists; the error is the one Chromium's VirtualCtap2Device
   * returns for such a list (device/fido/virtual_ctap2_device.cc, max_credential_count_in_list),
   * whose client splits lists by maxCredentialCountInList so real keys never see a longer one.
   */
  public static void checkListLength(AuthenticatorEnv env, List<?> list) {
    if (list.size() > env.profile().limits().maxCredentialCountInList()) {
      throw new CtapException(CtapStatus.CTAP2_ERR_LIMIT_EXCEEDED, "credential list longer than maxCredentialCountInList");
    }
  }

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

  /**
   * makeCredential step 11.1 / getAssertion step 6.1: verify the pinUvAuthParam over
   * clientDataHash with the token in use, require the command's permission and a matching (or no)
   * permissions RP ID, require the token's user-verified flag, then bind the token to the RP ID.
   * Every failure is CTAP2_ERR_PIN_AUTH_INVALID.
   */
  static void verifyTokenFor(
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
