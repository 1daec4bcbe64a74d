package dev.softkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.yubico.webauthn.AssertionRequest;
import com.yubico.webauthn.AssertionResult;
import com.yubico.webauthn.FinishAssertionOptions;
import com.yubico.webauthn.FinishRegistrationOptions;
import com.yubico.webauthn.RegistrationResult;
import com.yubico.webauthn.RelyingParty;
import com.yubico.webauthn.StartAssertionOptions;
import com.yubico.webauthn.StartRegistrationOptions;
import com.yubico.webauthn.attestation.AttestationTrustSource;
import com.yubico.webauthn.attestation.AttestationTrustSource.TrustRootsResult;
import com.yubico.webauthn.data.AttestationConveyancePreference;
import com.yubico.webauthn.data.PublicKeyCredential;
import com.yubico.webauthn.data.PublicKeyCredentialCreationOptions;
import com.yubico.webauthn.data.RelyingPartyIdentity;
import com.yubico.webauthn.data.UserIdentity;
import com.yubico.webauthn.exception.RegistrationFailedException;
import dev.softkey.core.control.ResponseOverrides;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's Yubico example: java-webauthn-server registers and authenticates a softkey
 * YubiKey 5 with attestation required (allowUntrustedAttestation off) and revocation checking on
 * (the library's default), trusting softkey's root and given its CRLs.
 */
class YubicoExampleTest {
  @RegisterExtension static SoftkeyExtension softkey = SoftkeyExtension.profile("yubikey-5").seed(42);

  private final InMemoryCredentials credentials = new InMemoryCredentials();

  private RelyingParty rp(AttestationTrustSource trust) {
    return RelyingParty.builder()
        .identity(RelyingPartyIdentity.builder().id(Options.RP_ID).name("Example").build())
        .credentialRepository(credentials)
        .origins(Set.of(Options.ORIGIN))
        .attestationConveyancePreference(AttestationConveyancePreference.DIRECT)
        .attestationTrustSource(trust)
        .allowUntrustedAttestation(false)
        .build();
  }

  private static StartRegistrationOptions alice() {
    return StartRegistrationOptions.builder()
        .user(UserIdentity.builder().name(InMemoryCredentials.USERNAME).displayName("Alice").id(InMemoryCredentials.USER_HANDLE).build())
        .build();
  }

  @Test
  void registersWithTrustedAttestationAndAuthenticates() throws Exception {
    VirtualKey key = softkey.key();
    RelyingParty rp = rp((chain, aaguid) ->
        TrustRootsResult.builder().trustRoots(Set.of(key.attestationRoot())).certStore(key.crlStore()).build());

    PublicKeyCredentialCreationOptions request = rp.startRegistration(alice());
    String response = key.create(request.toCredentialsCreateJson(), Options.ORIGIN);
    RegistrationResult registered =
        rp.finishRegistration(
            FinishRegistrationOptions.builder().request(request).response(PublicKeyCredential.parseRegistrationResponseJson(response)).build());
    credentials.register(registered);

    assertThat(registered.isAttestationTrusted()).isTrue();
    assertThat(registered.getAaguid().getBytes()).isEqualTo(uuidBytes(key.aaguid()));
    // x5c is [batch, intermediate]: the root completes the path.
    assertThat(registered.getAttestationTrustPath().orElseThrow()).hasSize(2);
    assertThat(registered.getAttestationTrustPath().get().get(1).getIssuerX500Principal()).isEqualTo(key.attestationRoot().getSubjectX500Principal());

    AssertionRequest assertion = rp.startAssertion(StartAssertionOptions.builder().username(InMemoryCredentials.USERNAME).build());
    String signed = key.get(assertion.toCredentialsGetJson(), Options.ORIGIN);
    AssertionResult result =
        rp.finishAssertion(
            FinishAssertionOptions.builder().request(assertion).response(PublicKeyCredential.parseAssertionResponseJson(signed)).build());

    assertThat(result.isSuccess()).isTrue();
    assertThat(result.getCredential().getCredentialId()).isEqualTo(registered.getKeyId().getId());
    assertThat(result.getSignatureCount()).isGreaterThan(registered.getSignatureCount());
  }

  @Test
  void anotherRootIsNotTrusted() throws Exception {
    VirtualKey key = softkey.key();
    try (VirtualKey other = VirtualKey.builder().profile("yubikey-5").seed(43).build()) {
      assertThat(other.attestationRoot()).isNotEqualTo(key.attestationRoot());
      RelyingParty rp = rp((chain, aaguid) ->
          TrustRootsResult.builder().trustRoots(Set.of(other.attestationRoot())).certStore(other.crlStore()).build());
      PublicKeyCredentialCreationOptions request = rp.startRegistration(alice());
      String response = key.create(request.toCredentialsCreateJson(), Options.ORIGIN);

      assertThatThrownBy(
              () -> rp.finishRegistration(
                  FinishRegistrationOptions.builder().request(request).response(PublicKeyCredential.parseRegistrationResponseJson(response)).build()))
          .isInstanceOf(RegistrationFailedException.class);
    }
  }

  @Test
  void withoutTheCrlsRevocationCheckingRefusesTheChain() throws Exception {
    VirtualKey key = softkey.key();
    CertStore empty = CertStore.getInstance("Collection", new CollectionCertStoreParameters(List.of()));
    RelyingParty rp = rp((chain, aaguid) ->
        TrustRootsResult.builder().trustRoots(Set.of(key.attestationRoot())).certStore(empty).build());
    PublicKeyCredentialCreationOptions request = rp.startRegistration(alice());
    String response = key.create(request.toCredentialsCreateJson(), Options.ORIGIN);

    // The same chain passes above with key.crlStore(): so the CRLs are what revocation checking needs.
    assertThatThrownBy(
            () -> rp.finishRegistration(
                FinishRegistrationOptions.builder().request(request).response(PublicKeyCredential.parseRegistrationResponseJson(response)).build()))
        .isInstanceOf(RegistrationFailedException.class);
  }

  @Test
  void aBogusSignatureIsRejected() throws Exception {
    VirtualKey key = softkey.key();
    RelyingParty rp = rp((chain, aaguid) ->
        TrustRootsResult.builder().trustRoots(Set.of(key.attestationRoot())).certStore(key.crlStore()).build());
    PublicKeyCredentialCreationOptions request = rp.startRegistration(alice());
    String response = key.create(request.toCredentialsCreateJson(), Options.ORIGIN);
    credentials.register(
        rp.finishRegistration(
            FinishRegistrationOptions.builder().request(request).response(PublicKeyCredential.parseRegistrationResponseJson(response)).build()));

    key.control().setResponseOverrides(new ResponseOverrides(true, false, false));
    AssertionRequest assertion = rp.startAssertion(StartAssertionOptions.builder().username(InMemoryCredentials.USERNAME).build());
    String signed = key.get(assertion.toCredentialsGetJson(), Options.ORIGIN);

    assertThatThrownBy(
            () -> rp.finishAssertion(
                FinishAssertionOptions.builder().request(assertion).response(PublicKeyCredential.parseAssertionResponseJson(signed)).build()))
        // the signature is the single byte 0x00 (Chromium's bogus signature), not DER: Yubico's
        // verifier throws rather than answering AssertionFailedException
        .isInstanceOf(RuntimeException.class)
        .hasMessageContaining("Failed to verify signature");
  }

  static byte[] uuidBytes(java.util.UUID u) {
    return java.nio.ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array();
  }
}
