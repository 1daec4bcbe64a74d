package dev.softkey.core.extension;

import dev.softkey.core.pin.PinUvAuthState;
import dev.softkey.ctap.model.Bytes;
import java.util.Map;
import java.util.Optional;

/**
 * hmac-secret-mc (CTAP 2.2 section 12.8): hmac-secret's outputs already at makeCredential, so that
 * a platform (WebAuthn prf with eval at create) gets them in one ceremony. The platform sends
 * {@code "hmac-secret": true} and, under {@code "hmac-secret-mc"}, the same map as hmac-secret's
 * getAssertion input (keyAgreement, saltEnc, saltAuth, pinUvAuthProtocol; python-fido2's
 * HmacSecretExtension.make_credential and Chromium's CtapMakeCredentialRequest build it so). The
 * output under {@code "hmac-secret-mc"} in authenticatorData is the encrypted HMAC of the salts
 * under the new credential's CredRandomWithUV when the response's "uv" bit is set, else
 * CredRandomWithoutUV: the values a later getAssertion with hmac-secret returns.
 *
 * <p>Without {@code "hmac-secret": true} there is no CredRandom and no output (the input is still
 * checked for its types and mandatory members).
 */
public final class HmacSecretMcExtension implements AuthenticatorExtension {
  private final PinUvAuthState pin;

  /** @param pin whose key agreement keys give the shared secret */
  public HmacSecretMcExtension(PinUvAuthState pin) {
    this.pin = pin;
  }

  @Override
  public String identifier() {
    return HmacSecret.MC_IDENTIFIER;
  }

  /** After hmac-secret made the credential's CredRandoms (whichever extension ran first). */
  @Override
  public Optional<Object> makeCredentialOutput(MakeCredentialInput in, Map<String, Bytes> states) {
    if (in.input().isEmpty()) {
      return Optional.empty();
    }
    HmacSecret.Input input = HmacSecret.Input.parse(in.input().get());
    return HmacSecret.credRandoms(Optional.ofNullable(states.get(HmacSecret.IDENTIFIER)), in.credentialSecret())
        .map(cr -> (Object) HmacSecret.evaluate(pin, input, cr.select(in.uv())));
  }

  @Override
  public String toString() {
    return "HmacSecretMcExtension";
  }
}
