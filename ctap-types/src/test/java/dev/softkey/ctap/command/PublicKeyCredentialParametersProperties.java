package dev.softkey.ctap.command;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@link PublicKeyCredentialParameters} (WebAuthn L3 section 5.3), an entry of makeCredential's
 * pubKeyCredParams and of getInfo's algorithms: "type" text (other types than "public-key" kept,
 * for the authenticator to skip) and "alg" any COSE algorithm identifier, both required.
 */
class PublicKeyCredentialParametersProperties {
  @Test
  void fromCborOfTheEncoding_equalsTheRecord() {
    WireCases.forAll(WireGenerators::parameters, (x, r) -> WireSchema.assertRoundTrip(x, PublicKeyCredentialParameters::fromCbor));
  }

  @Test
  void aMemberOfTheWrongType_isCborUnexpectedType() {
    WireCases.forAll(
        WireGenerators::parameters,
        (x, r) -> WireSchema.assertWrongTypeRejected(WireSchema.PARAMETERS, x, PublicKeyCredentialParameters::fromCbor, r));
  }

  @Test
  void withoutAlgOrType_isMissingParameter() {
    WireCases.forAll(
        WireGenerators::parameters,
        (x, r) -> assertThat(WireSchema.assertMissingRejected(WireSchema.PARAMETERS, x, PublicKeyCredentialParameters::fromCbor)).isEqualTo(2));
  }
}
