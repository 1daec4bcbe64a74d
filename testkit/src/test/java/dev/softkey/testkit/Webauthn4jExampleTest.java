package dev.softkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.anchor.KeyStoreTrustAnchorRepository;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import com.webauthn4j.verifier.attestation.statement.packed.PackedAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.trustworthiness.certpath.DefaultCertPathTrustworthinessVerifier;
import com.webauthn4j.verifier.attestation.trustworthiness.self.DefaultSelfAttestationTrustworthinessVerifier;
import com.webauthn4j.verifier.exception.VerificationException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's webauthn4j example: a WebAuthnManager whose certificate-path verifier trusts
 * softkey's root through a KeyStoreTrustAnchorRepository ({@link VirtualKey#attestationTrustStore()})
 * registers a packed attestation and authenticates. webauthn4j's verifier takes no CertStore, and
 * softkey's certificates name no CRL distribution point, so its revocation check is off here.
 */
class Webauthn4jExampleTest {
  @RegisterExtension static SoftkeyExtension softkey = SoftkeyExtension.profile("yubikey-5").seed(4);

  private static final byte[] REG_CHALLENGE = "challenge-challenge-1234567890".getBytes(StandardCharsets.UTF_8);
  private static final byte[] AUTH_CHALLENGE = "another-challenge-1234567890".getBytes(StandardCharsets.UTF_8);

  private static WebAuthnManager manager(VirtualKey trusted) {
    DefaultCertPathTrustworthinessVerifier certPath =
        new DefaultCertPathTrustworthinessVerifier(new KeyStoreTrustAnchorRepository(trusted.attestationTrustStore()));
    certPath.setRevocationCheckEnabled(false);
    return new WebAuthnManager(
        List.of(new PackedAttestationStatementVerifier()), certPath, new DefaultSelfAttestationTrustworthinessVerifier(false));
  }

  private static ServerProperty server(byte[] challenge) {
    return ServerProperty.builder().origin(new Origin(Options.ORIGIN)).rpId(Options.RP_ID).challenge(new DefaultChallenge(challenge)).build();
  }

  private static String creation() {
    return Options.creation(true, "discouraged", "direct").replace("Y2hhbGxlbmdlLWNoYWxsZW5nZS0xMjM0NTY3ODkw", b64(REG_CHALLENGE));
  }

  private static RegistrationParameters registration() {
    return new RegistrationParameters(
        server(REG_CHALLENGE), List.of(new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.ES256)), false, true);
  }

  @Test
  void registersWithTrustedAttestationAndAuthenticates() {
    VirtualKey key = softkey.key();
    WebAuthnManager rp = manager(key);

    RegistrationData reg = rp.verifyRegistrationResponseJSON(key.create(creation(), Options.ORIGIN), registration());
    assertThat(reg.getAttestationObject().getFormat()).isEqualTo("packed");
    assertThat(reg.getAttestationObject().getAuthenticatorData().getAttestedCredentialData().getAaguid().getValue()).isEqualTo(key.aaguid());

    CredentialRecordImpl record =
        new CredentialRecordImpl(reg.getAttestationObject(), reg.getCollectedClientData(), reg.getClientExtensions(), reg.getTransports());
    String request = Options.request().replace("YW5vdGhlci1jaGFsbGVuZ2UtMTIzNDU2Nzg5MA", b64(AUTH_CHALLENGE));
    AuthenticationData auth =
        rp.verifyAuthenticationResponseJSON(
            key.get(request, Options.ORIGIN), new AuthenticationParameters(server(AUTH_CHALLENGE), record, null, false, true));

    assertThat(auth.getCredentialId()).isEqualTo(reg.getAttestationObject().getAuthenticatorData().getAttestedCredentialData().getCredentialId());
    assertThat(auth.getAuthenticatorData().getSignCount()).isGreaterThan(reg.getAttestationObject().getAuthenticatorData().getSignCount());
  }

  @Test
  void aKeyStoreWithAnotherRootIsRefused() {
    VirtualKey key = softkey.key();
    try (VirtualKey other = VirtualKey.builder().profile("yubikey-5").seed(5).build()) {
      String response = key.create(creation(), Options.ORIGIN);
      assertThatThrownBy(() -> manager(other).verifyRegistrationResponseJSON(response, registration()))
          .isInstanceOf(VerificationException.class);
    }
  }

  private static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
