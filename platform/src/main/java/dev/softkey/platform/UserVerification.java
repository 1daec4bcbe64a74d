package dev.softkey.platform;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.command.PublicKeyCredentialDescriptor;
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
      Permission permission,
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
    if (pin.isPresent() && info.isPinSet()) {
      PinTokenProvider provider = pinTokenProvider.orElseThrow(
          () -> new WebAuthnException(Name.NotSupportedError, "a PIN was given but no PIN client is configured"));
      try {
        return new UvPlan(Optional.of(provider.token(pin.get(), Set.of(permission), rpId)), false);
      } catch (CtapException e) {
        throw CtapErrors.toException(e.status());
      }
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

  static void checkRpIdHash(ParsedAuthenticatorData parsed, String rpId) {
    if (!parsed.rpIdHash().equals(WebAuthnClient.sha256(Bytes.wrap(rpId.getBytes(StandardCharsets.UTF_8))))) {
      throw new WebAuthnException(Name.UnknownError, "authenticator data rpIdHash does not match the RP ID " + rpId);
    }
  }
}
