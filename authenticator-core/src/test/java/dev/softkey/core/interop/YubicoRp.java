package dev.softkey.core.interop;

import com.yubico.webauthn.AssertionRequest;
import com.yubico.webauthn.AssertionResult;
import com.yubico.webauthn.FinishAssertionOptions;
import com.yubico.webauthn.FinishRegistrationOptions;
import com.yubico.webauthn.RegisteredCredential;
import com.yubico.webauthn.RegistrationResult;
import com.yubico.webauthn.RelyingParty;
import com.yubico.webauthn.StartAssertionOptions;
import com.yubico.webauthn.StartRegistrationOptions;
import com.yubico.webauthn.attestation.AttestationTrustSource;
import com.yubico.webauthn.data.AttestationConveyancePreference;
import com.yubico.webauthn.data.AuthenticatorSelectionCriteria;
import com.yubico.webauthn.data.ByteArray;
import com.yubico.webauthn.data.PublicKeyCredential;
import com.yubico.webauthn.data.PublicKeyCredentialCreationOptions;
import com.yubico.webauthn.data.PublicKeyCredentialParameters;
import com.yubico.webauthn.data.RelyingPartyIdentity;
import com.yubico.webauthn.data.ResidentKeyRequirement;
import com.yubico.webauthn.data.UserIdentity;
import com.yubico.webauthn.data.UserVerificationRequirement;
import com.yubico.webauthn.exception.AssertionFailedException;
import com.yubico.webauthn.exception.RegistrationFailedException;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.core.testing.OneUserCredentialRepository;
import dev.softkey.platform.AuthenticationResponse;
import dev.softkey.platform.RegistrationResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.CertStore;
import java.security.cert.CertificateException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.X509CRL;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A Yubico java-webauthn-server relying party with one user, an in-memory CredentialRepository
 * ({@link OneUserCredentialRepository}) that takes signature counter updates, and an
 * AttestationTrustSource holding exactly one root.
 */
final class YubicoRp {
  static final String USERNAME = "alice";
  static final ByteArray USER_HANDLE = new ByteArray(new byte[] {9, 8, 7, 6, 5, 4, 3, 2});

  private final OneUserCredentialRepository credentials = new OneUserCredentialRepository(USERNAME, USER_HANDLE);
  private final RelyingParty rp;

  /**
   * @param requireTrustedAttestation whether allowUntrustedAttestation is off (packed batch and
   *     fido-u2f must then chain to {@code trustedRoot})
   */
  YubicoRp(String rpId, Set<String> origins, CoseAlgorithm alg, Bytes trustedRoot, boolean requireTrustedAttestation) {
    this(rpId, origins, alg, trustedRoot, requireTrustedAttestation, AttestationConveyancePreference.DIRECT);
  }

  /** As above, asking for {@code conveyance} (the options' attestation member). */
  YubicoRp(
      String rpId, Set<String> origins, CoseAlgorithm alg, Bytes trustedRoot, boolean requireTrustedAttestation,
      AttestationConveyancePreference conveyance) {
    this(rpId, origins, alg, requireTrustedAttestation, conveyance, trustSource(trustedRoot, Optional.empty()));
  }

  /**
   * An RP that checks revocation (the library's default) with {@code crls} in the trust source's
   * certStore: an attestation chain is trusted only when every certificate in it has a current CRL
   * from its issuer.
   */
  static YubicoRp checkingRevocation(String rpId, Set<String> origins, CoseAlgorithm alg, Bytes trustedRoot, List<Bytes> crls) {
    return new YubicoRp(rpId, origins, alg, true, AttestationConveyancePreference.DIRECT, trustSource(trustedRoot, Optional.of(crls)));
  }

  private static AttestationTrustSource trustSource(Bytes trustedRoot, Optional<List<Bytes>> crls) {
    X509Certificate root = certificate(trustedRoot);
    if (crls.isEmpty()) {
      return (chain, aaguid) ->
          AttestationTrustSource.TrustRootsResult.builder()
              .trustRoots(Set.of(root))
              .enableRevocationChecking(false)
              .build();
    }
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      List<X509CRL> parsed = new java.util.ArrayList<>();
      for (Bytes c : crls.get()) {
        parsed.add((X509CRL) cf.generateCRL(new ByteArrayInputStream(c.toArray())));
      }
      CertStore store = CertStore.getInstance("Collection", new CollectionCertStoreParameters(parsed));
      return (chain, aaguid) ->
          AttestationTrustSource.TrustRootsResult.builder()
              .trustRoots(Set.of(root))
              .certStore(store)
              .enableRevocationChecking(true)
              .build();
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  private YubicoRp(
      String rpId, Set<String> origins, CoseAlgorithm alg, boolean requireTrustedAttestation,
      AttestationConveyancePreference conveyance, AttestationTrustSource trust) {
    this.rp =
        RelyingParty.builder()
            .identity(RelyingPartyIdentity.builder().id(rpId).name("Example").build())
            .credentialRepository(credentials)
            .origins(origins)
            .attestationConveyancePreference(conveyance)
            .attestationTrustSource(trust)
            .allowUntrustedAttestation(!requireTrustedAttestation)
            .preferredPubkeyParams(List.of(parameters(alg)))
            .build();
  }

  static PublicKeyCredentialParameters parameters(CoseAlgorithm alg) {
    return switch (alg) {
      case ES256 -> PublicKeyCredentialParameters.ES256;
      case EDDSA -> PublicKeyCredentialParameters.EdDSA;
      case ES384 -> PublicKeyCredentialParameters.ES384;
      case RS256 -> PublicKeyCredentialParameters.RS256;
    };
  }

  static X509Certificate certificate(Bytes der) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der.toArray()));
    } catch (CertificateException e) {
      throw new AssertionError(e);
    }
  }

  PublicKeyCredentialCreationOptions startRegistration(boolean discoverable, UserVerificationRequirement uv) {
    return startRegistration(discoverable, uv, com.yubico.webauthn.data.RegistrationExtensionInputs.builder().build());
  }

  /** startRegistration with extension inputs. */
  PublicKeyCredentialCreationOptions startRegistration(
      boolean discoverable, UserVerificationRequirement uv, com.yubico.webauthn.data.RegistrationExtensionInputs extensions) {
    return rp.startRegistration(
        StartRegistrationOptions.builder()
            .user(UserIdentity.builder().name(USERNAME).displayName("Alice").id(USER_HANDLE).build())
            .extensions(extensions)
            .authenticatorSelection(
                AuthenticatorSelectionCriteria.builder()
                    .residentKey(discoverable ? ResidentKeyRequirement.REQUIRED : ResidentKeyRequirement.DISCOURAGED)
                    .userVerification(uv)
                    .build())
            .build());
  }

  /** finishRegistration, and on success stores the credential for later assertions. */
  RegistrationResult finishRegistration(PublicKeyCredentialCreationOptions request, RegistrationResponse response)
      throws RegistrationFailedException, IOException {
    RegistrationResult result =
        rp.finishRegistration(
            FinishRegistrationOptions.builder()
                .request(request)
                .response(PublicKeyCredential.parseRegistrationResponseJson(response.toJson()))
                .build());
    credentials.register(result);
    return result;
  }

  void add(RegisteredCredential credential) {
    credentials.add(credential);
  }

  Optional<RegisteredCredential> credential(Bytes id) {
    return credentials.credential(new ByteArray(id.toArray()));
  }

  /** startAssertion: with the username (allowCredentials filled) or without (discoverable). */
  AssertionRequest startAssertion(boolean discoverable, UserVerificationRequirement uv) {
    return startAssertion(discoverable, uv, com.yubico.webauthn.data.AssertionExtensionInputs.builder().build());
  }

  /** startAssertion with extension inputs. */
  AssertionRequest startAssertion(boolean discoverable, UserVerificationRequirement uv, com.yubico.webauthn.data.AssertionExtensionInputs extensions) {
    StartAssertionOptions.StartAssertionOptionsBuilder b = StartAssertionOptions.builder().userVerification(uv).extensions(extensions);
    if (!discoverable) {
      b.username(USERNAME);
    }
    return rp.startAssertion(b.build());
  }

  /** finishAssertion, and on success the RP-side signature counter update. */
  AssertionResult finishAssertion(AssertionRequest request, AuthenticationResponse response)
      throws AssertionFailedException, IOException {
    AssertionResult result =
        rp.finishAssertion(
            FinishAssertionOptions.builder()
                .request(request)
                .response(PublicKeyCredential.parseAssertionResponseJson(response.toJson()))
                .build());
    if (!result.isSuccess()) {
      throw new AssertionError("finishAssertion returned isSuccess=false");
    }
    RegisteredCredential old = credentials.credential(result.getCredential().getCredentialId()).orElseThrow();
    add(old.toBuilder().signatureCount(result.getSignatureCount()).build());
    return result;
  }
}
