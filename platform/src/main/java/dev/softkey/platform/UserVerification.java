package dev.softkey.platform;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.command.PublicKeyCredentialDescriptor;
import dev.softkey.ctap.model.AuthenticatorData;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.Permission;
import dev.softkey.platform.WebAuthnException.Name;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The steps create() and get() share: planning user verification, credential lists, the rpIdHash check. */
final class UserVerification {
  private final Optional<PinTokenProvider> pinTokenProvider;

  UserVerification(Optional<PinTokenProvider> pinTokenProvider) {
    this.pinTokenProvider = pinTokenProvider;
  }

  /**
   * How user verification will be done.
   *
   * @param token a pinUvAuthToken to compute pinUvAuthParam with
   * @param builtInUv send the "uv" option
   */
  record UvPlan(Optional<PinTokenProvider.PinToken> token, boolean builtInUv) {
    static final UvPlan NONE = new UvPlan(Optional.empty(), false);
  }

  UvPlan planUv(
      String userVerification,
      AuthenticatorInfo info,
      Optional<String> pin,
      boolean authenticatorDemandsUv,
      Set<Permission> permissions,
      String rpId) {
    boolean required = userVerification.equals("required");
    boolean wantUv =
        switch (userVerification) {
          case "required" -> true;
          case "discouraged" -> false;
          default -> info.isPinSet() || info.hasBuiltInUv(); // "preferred" and unknown values
        };
    if (!wantUv && !authenticatorDemandsUv) {
      return UvPlan.NONE;
    }
    if (info.hasBuiltInUv() && info.supportsPinUvAuthToken() && pinTokenProvider.isPresent()) {
      Optional<UvPlan> fromBuiltInUv = builtInUvToken(info, pin, permissions, rpId);
      if (fromBuiltInUv.isPresent()) {
        return fromBuiltInUv.get();
      }
    }
    if (pin.isPresent() && info.isPinSet()) {
      return pinToken(pin.get(), permissions, rpId);
    }
    if (info.hasBuiltInUv()) {
      return new UvPlan(Optional.empty(), true);
    }
    if (required) {
      String why;
      if (info.isPinSet()) {
        why = "user verification is required: a PIN is set on the authenticator but none was given";
      } else if (pin.isPresent()) {
        why = "user verification is required but the authenticator has no PIN set (set one first)";
      } else {
        why = "user verification is required but the authenticator has no PIN set and no built-in user verification";
      }
      throw new WebAuthnException(Name.NotAllowedError, why);
    }
    // Not required: go without and let the authenticator decide (it may answer PUAT_REQUIRED).
    return UvPlan.NONE;
  }

  /**
   * A token from built-in UV (CTAP 2.1 section 6.5.5.7.3), tried up to preferredPlatformUvAttempts
   * times (1 when omitted) while the authenticator answers CTAP2_ERR_UV_INVALID. When built-in UV
   * is blocked (CTAP2_ERR_UV_BLOCKED) or every attempt failed, the PIN is the fallback if one is
   * set and given (section 6.5.2.3: a correct PIN also restores uvRetries); without it the failure
   * is NotAllowedError. Empty when the provider cannot ask for a UV token.
   */
  private Optional<UvPlan> builtInUvToken(AuthenticatorInfo info, Optional<String> pin, Set<Permission> permissions, String rpId) {
    PinTokenProvider provider = pinTokenProvider.orElseThrow();
    long attempts = info.preferredPlatformUvAttempts().orElse(1L);
    CtapStatus failure = CtapStatus.CTAP2_ERR_UV_INVALID;
    for (long i = 0; i < attempts; i++) {
      try {
        Optional<PinTokenProvider.PinToken> token = provider.uvToken(permissions, rpId);
        return token.map(t -> new UvPlan(Optional.of(t), false));
      } catch (CtapException e) {
        failure = e.status();
        if (failure == CtapStatus.CTAP2_ERR_UV_BLOCKED) {
          break;
        }
        if (failure != CtapStatus.CTAP2_ERR_UV_INVALID) {
          throw CtapErrors.toException(failure);
        }
      }
    }
    if (pin.isPresent() && info.isPinSet()) {
      return Optional.of(pinToken(pin.get(), permissions, rpId));
    }
    throw new WebAuthnException(
        Name.NotAllowedError,
        failure.name() + ": built-in user verification "
            + (failure == CtapStatus.CTAP2_ERR_UV_BLOCKED ? "is blocked" : "failed")
            + (info.isPinSet() ? "; give the PIN to use it instead" : ""),
        Optional.of(failure));
  }

  /** A token from the PIN (getPinUvAuthTokenUsingPinWithPermissions, or getPinToken). */
  private UvPlan pinToken(String pin, Set<Permission> permissions, String rpId) {
    PinTokenProvider provider = pinTokenProvider.orElseThrow(
        () -> new WebAuthnException(Name.NotSupportedError, "a PIN was given but no PIN client is configured"));
    try {
      return new UvPlan(Optional.of(provider.token(pin, permissions, rpId)), false);
    } catch (CtapException e) {
      throw CtapErrors.toException(e.status());
    }
  }

  /** PublicKeyCredentialDescriptor list for CTAP: public-key entries no longer than maxCredentialIdLength. */
  static List<PublicKeyCredentialDescriptor> descriptorList(List<CredentialDescriptor> in, AuthenticatorInfo info) {
    List<PublicKeyCredentialDescriptor> out = new ArrayList<>();
    for (CredentialDescriptor d : in) {
      if (!CredentialDescriptor.PUBLIC_KEY.equals(d.type())) {
        continue;
      }
      if (info.maxCredentialIdLength().isPresent() && d.id().length() > info.maxCredentialIdLength().get()) {
        continue;
      }
      out.add(PublicKeyCredentialDescriptor.publicKey(d.id()));
    }
    return out;
  }

  static void checkRpIdHash(AuthenticatorData parsed, String rpId) {
    if (!parsed.rpIdHash().equals(WebAuthnClient.sha256(Bytes.wrap(rpId.getBytes(StandardCharsets.UTF_8))))) {
      throw new WebAuthnException(Name.UnknownError, "authenticator data rpIdHash does not match the RP ID " + rpId);
    }
  }
}
