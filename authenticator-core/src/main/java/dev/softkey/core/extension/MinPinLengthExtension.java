package dev.softkey.core.extension;

import dev.softkey.core.ctap2.ConfigState;
import dev.softkey.core.pin.PinUvAuthState;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import java.util.Optional;

/**
 * minPinLength (CTAP 2.1 section 12.4): makeCredential input {@code true} outputs the current
 * minimum PIN length (an unsigned integer in authData), but only for an RP ID that
 * authenticatorConfig's setMinPINLength named in minPinLengthRPIDs (section 6.11.4); for any other
 * RP ID, and for {@code false}, there is no output and the credential is made as usual (YubiKeys:
 * "not an error"). Section 6.11.4 also allows RP IDs a vendor pre-configured; softkey's profiles
 * have none, so only the authenticatorConfig list counts ({@link ConfigState#minPinLengthRpIds}),
 * and authenticatorReset empties it. No state is kept with the credential.
 */
public final class MinPinLengthExtension implements AuthenticatorExtension {
  public static final String ID = "minPinLength";

  private final ConfigState config;
  private final PinUvAuthState pin;

  public MinPinLengthExtension(ConfigState config, PinUvAuthState pin) {
    this.config = config;
    this.pin = pin;
  }

  @Override
  public String identifier() {
    return ID;
  }

  @Override
  public MakeCredentialOutcome makeCredential(MakeCredentialInput in) {
    if (in.input().isEmpty()) {
      return MakeCredentialOutcome.NONE;
    }
    if (!(in.input().get() instanceof Boolean wanted)) {
      throw new CtapException(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE, "minPinLength must be a boolean");
    }
    if (!wanted || !config.minPinLengthRpIds().contains(in.request().rpId())) {
      return MakeCredentialOutcome.NONE;
    }
    return new MakeCredentialOutcome(Optional.empty(), Optional.of((long) pin.minPinLength()));
  }
}
