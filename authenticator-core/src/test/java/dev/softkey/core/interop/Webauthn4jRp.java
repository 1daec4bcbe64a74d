package dev.softkey.core.interop;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.anchor.TrustAnchorRepository;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import com.webauthn4j.verifier.attestation.statement.none.NoneAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.statement.packed.PackedAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.statement.u2f.FIDOU2FAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.trustworthiness.certpath.DefaultCertPathTrustworthinessVerifier;
import com.webauthn4j.verifier.attestation.trustworthiness.self.DefaultSelfAttestationTrustworthinessVerifier;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.AuthenticationResponse;
import dev.softkey.platform.RegistrationResponse;
import java.security.cert.TrustAnchor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A webauthn4j relying party: a WebAuthnManager with the none, packed and fido-u2f statement
 * verifiers, a certificate-path verifier whose TrustAnchorRepository holds exactly one root
 * (revocation checking off: softkey's CA publishes no CRL), self attestation allowed, and an
 * in-memory map of CredentialRecords whose counters are updated after each assertion.
 */
final class Webauthn4jRp {
  private final String rpId;
  private final Set<Origin> origins;
  private final List<PublicKeyCredentialParameters> pubKeyCredParams;
  private final WebAuthnManager manager;
  private final Map<Bytes, CredentialRecordImpl> credentials = new HashMap<>();

  Webauthn4jRp(String rpId, Set<String> origins, CoseAlgorithm alg, Bytes trustedRoot) {
    this.rpId = rpId;
    this.origins = origins.stream().map(Origin::new).collect(Collectors.toSet());
    this.pubKeyCredParams =
        List.of(new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, coseAlgorithm(alg)));
    Set<TrustAnchor> anchors = Set.of(new TrustAnchor(YubicoRp.certificate(trustedRoot), null));
    TrustAnchorRepository trust =
        new TrustAnchorRepository() {
          @Override
          public Set<TrustAnchor> find(AAGUID aaguid) {
            return anchors;
          }

          @Override
          public Set<TrustAnchor> find(byte[] attestationCertificateKeyIdentifier) {
            return anchors;
          }
        };
    DefaultCertPathTrustworthinessVerifier certPath = new DefaultCertPathTrustworthinessVerifier(trust);
    certPath.setRevocationCheckEnabled(false);
    this.manager =
        new WebAuthnManager(
            List.of(
                new NoneAttestationStatementVerifier(),
                new PackedAttestationStatementVerifier(),
                new FIDOU2FAttestationStatementVerifier()),
            certPath,
            new DefaultSelfAttestationTrustworthinessVerifier(true));
  }

  static COSEAlgorithmIdentifier coseAlgorithm(CoseAlgorithm alg) {
    return switch (alg) {
      case ES256 -> COSEAlgorithmIdentifier.ES256;
      case EDDSA -> COSEAlgorithmIdentifier.EdDSA;
      case ES384 -> COSEAlgorithmIdentifier.ES384;
      case RS256 -> COSEAlgorithmIdentifier.RS256;
    };
  }

  private ServerProperty serverProperty(byte[] challenge) {
    return ServerProperty.builder()
        .origins(origins)
        .rpId(rpId)
        .challenge(new DefaultChallenge(challenge))
        .build();
  }

  /** verifyRegistrationResponseJSON on the client's RegistrationResponseJSON; stores the record. */
  RegistrationData register(RegistrationResponse response, byte[] challenge, boolean userVerificationRequired) {
    RegistrationData data =
        manager.verifyRegistrationResponseJSON(
            response.toJson(),
            new RegistrationParameters(serverProperty(challenge), pubKeyCredParams, userVerificationRequired, true));
    add(response.rawId(), data);
    return data;
  }

  /** Stores a credential verified elsewhere (by another webauthn4j RP). */
  void add(Bytes credentialId, RegistrationData data) {
    credentials.put(
        credentialId,
        new CredentialRecordImpl(
            data.getAttestationObject(), data.getCollectedClientData(), data.getClientExtensions(), data.getTransports()));
  }

  long counter(Bytes credentialId) {
    return credentials.get(credentialId).getCounter();
  }

  /**
   * verifyAuthenticationResponseJSON against the stored record; allowCredentials is null for a
   * discoverable ceremony. On success the record's counter takes the new signCount.
   */
  AuthenticationData authenticate(
      AuthenticationResponse response, byte[] challenge, List<byte[]> allowCredentials, boolean userVerificationRequired) {
    CredentialRecordImpl record = credentials.get(response.rawId());
    if (record == null) {
      throw new AssertionError("unknown credential");
    }
    AuthenticationData data =
        manager.verifyAuthenticationResponseJSON(
            response.toJson(),
            new AuthenticationParameters(serverProperty(challenge), record, allowCredentials, userVerificationRequired, true));
    record.setCounter(data.getAuthenticatorData().getSignCount());
    return data;
  }
}
