package dev.softkey.core.extension;

import dev.softkey.core.pin.PinUvAuthState;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.crypto.RandomSource;
import java.util.Optional;

/**
 * hmac-secret (CTAP 2.1 section 12.5): a symmetric secret per credential that the platform reads
 * as HMAC-SHA-256 outputs over its salts, sent and returned encrypted under a clientPIN shared
 * secret (WebAuthn's prf and hmacGetSecret sit on it).
 *
 * <ul>
 *   <li>makeCredential, input {@code true}: two random CredRandoms (CredRandomWithUV,
 *       CredRandomWithoutUV) are kept with the credential, output {@code true}. Without the input
 *       (or with {@code false}) nothing is made, and a later getAssertion with hmac-secret on that
 *       credential has no hmac-secret output.
 *   <li>getAssertion, input {keyAgreement, saltEnc, saltAuth, pinUvAuthProtocol}: the encrypted
 *       HMAC of one or two salts under CredRandomWithUV when the response's "uv" bit is set, else
 *       CredRandomWithoutUV.
 * </ul>
 */
public final class HmacSecretExtension implements AuthenticatorExtension {
  private final PinUvAuthState pin;
  private final RandomSource random;

  /**
   * @param pin whose key agreement keys give the shared secret
   * @param random for the CredRandoms
   */
  public HmacSecretExtension(PinUvAuthState pin, RandomSource random) {
    this.pin = pin;
    this.random = random;
  }

  @Override
  public String identifier() {
    return HmacSecret.IDENTIFIER;
  }

  /**
   * Section 12.5, authenticatorMakeCredential: the input is a boolean (anything else is
   * CTAP2_ERR_CBOR_UNEXPECTED_TYPE); true makes the CredRandoms and answers {@code "hmac-secret":
   * true}.
   */
  @Override
  public MakeCredentialOutcome makeCredential(MakeCredentialInput in) {
    if (in.input().isEmpty()) {
      return MakeCredentialOutcome.NONE;
    }
    if (!(in.input().get() instanceof Boolean requested)) {
      throw new CtapException(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE, "hmac-secret input must be a boolean");
    }
    if (!requested) {
      return MakeCredentialOutcome.NONE;
    }
    return new MakeCredentialOutcome(Optional.of(HmacSecret.newState(random, in.discoverable())), Optional.of(true));
  }

  /**
   * Section 12.5, authenticatorGetAssertion. The outputs need user presence: with "up" false the
   * request is CTAP2_ERR_UNSUPPORTED_OPTION (OpenSK's process_get_assertion, and YubiKeys refuse it
   * too). A credential made without hmac-secret has no CredRandom and gives no output.
   */
  @Override
  public Optional<Object> getAssertion(GetAssertionInput in) {
    if (in.input().isEmpty()) {
      return Optional.empty();
    }
    CtapException.check(in.up(), CtapStatus.CTAP2_ERR_UNSUPPORTED_OPTION);
    HmacSecret.Input input = HmacSecret.Input.parse(in.input().get());
    return HmacSecret.credRandoms(in.state(), in.credentialSecret())
        .map(cr -> (Object) HmacSecret.evaluate(pin, input, cr.select(in.uv())));
  }

  @Override
  public String toString() {
    return "HmacSecretExtension";
  }
}
