package dev.softkey.core.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.webauthn4j.data.RegistrationData;
import com.yubico.webauthn.RegistrationResult;
import com.yubico.webauthn.data.PublicKeyCredentialCreationOptions;
import com.yubico.webauthn.data.UserVerificationRequirement;
import com.yubico.webauthn.exception.RegistrationFailedException;
import dev.softkey.core.attestation.AttestationCa;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.RegistrationResponse;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Revocation checking stays on: Yubico java-webauthn-server (which checks revocation by default)
 * trusts a packed registration of a YubiKey-model device (x5c [batch, "softkey Yubico Attestation
 * CA"]) under softkey's root when the trust source hands it the CAs' CRLs ({@link
 * AttestationCa#crls()}), and not when one of them is missing; webauthn4j verifies the same chain.
 */
class RevocationRelyingPartyTest {
  static final String RP_ID = "example.com";
  static final String ORIGIN = "https://example.com";

  private final Profile yubikey = Profiles.builtIn("yubikey-5").orElseThrow();
  private final SoftkeyDevice device = SoftkeyDevice.open(yubikey, 4242);
  private final AttestationCa ca = device.ca();

  RevocationRelyingPartyTest() {
    // crls() covers the CAs issued so far: make the model's chain before handing them to the RP,
    // as 'softkey ca export --crls' does for every built-in model.
    ca.certificateChain(yubikey);
  }

  private RegistrationResponse register(YubicoRp rp, PublicKeyCredentialCreationOptions create) throws Exception {
    return device.client().create(create.toCredentialsCreateJson(), ORIGIN, Optional.empty());
  }

  @Test
  void packedRegistration_withEveryCrl_isTrustedWithRevocationCheckingOn() throws Exception {
    YubicoRp yubico = YubicoRp.checkingRevocation(RP_ID, Set.of(ORIGIN), CoseAlgorithm.ES256, ca.rootCertificate(), ca.crls());
    PublicKeyCredentialCreationOptions create = yubico.startRegistration(false, UserVerificationRequirement.DISCOURAGED);
    RegistrationResponse reg = register(yubico, create);

    RegistrationResult result = yubico.finishRegistration(create, reg);

    assertThat(result.isAttestationTrusted()).isTrue();
    assertThat(result.getAttestationTrustPath().orElseThrow()).hasSize(2);
    assertThat(Bytes.wrap(result.getAttestationTrustPath().orElseThrow().get(1).getEncoded()))
        .isEqualTo(ca.intermediateCertificate("Yubico"));

    Webauthn4jRp webauthn4j = new Webauthn4jRp(RP_ID, Set.of(ORIGIN), CoseAlgorithm.ES256, ca.rootCertificate());
    RegistrationData data = webauthn4j.register(reg, create.getChallenge().getBytes(), false);
    assertThat(data.getAttestationObject().getFormat()).isEqualTo("packed");
  }

  @Test
  void packedRegistration_withoutTheIntermediatesCrl_isRejected() throws Exception {
    List<Bytes> crls = ca.crls();
    assertThat(crls).hasSize(2); // the root's and the Yubico intermediate's
    Bytes intermediateCrl = crls.get(1 + ca.vendors().indexOf("Yubico"));
    List<Bytes> withoutIt = crls.stream().filter(c -> !c.equals(intermediateCrl)).toList();
    YubicoRp yubico = YubicoRp.checkingRevocation(RP_ID, Set.of(ORIGIN), CoseAlgorithm.ES256, ca.rootCertificate(), withoutIt);
    PublicKeyCredentialCreationOptions create = yubico.startRegistration(false, UserVerificationRequirement.DISCOURAGED);
    RegistrationResponse reg = register(yubico, create);

    assertThatThrownBy(() -> yubico.finishRegistration(create, reg)).isInstanceOf(RegistrationFailedException.class);
  }

  @Test
  void packedRegistration_withoutTheRootsCrl_isRejected() throws Exception {
    List<Bytes> crls = ca.crls();
    YubicoRp yubico =
        YubicoRp.checkingRevocation(RP_ID, Set.of(ORIGIN), CoseAlgorithm.ES256, ca.rootCertificate(), crls.subList(1, crls.size()));
    PublicKeyCredentialCreationOptions create = yubico.startRegistration(false, UserVerificationRequirement.DISCOURAGED);
    RegistrationResponse reg = register(yubico, create);

    assertThatThrownBy(() -> yubico.finishRegistration(create, reg)).isInstanceOf(RegistrationFailedException.class);
  }
}
