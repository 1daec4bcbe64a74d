package dev.softkey.core.attestation;

import static dev.softkey.core.attestation.AttestationTestSupport.FIXED_CLOCK;
import static dev.softkey.core.attestation.AttestationTestSupport.certificate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.yubico.webauthn.CredentialRepository;
import com.yubico.webauthn.FinishRegistrationOptions;
import com.yubico.webauthn.RegisteredCredential;
import com.yubico.webauthn.RegistrationResult;
import com.yubico.webauthn.RelyingParty;
import com.yubico.webauthn.StartRegistrationOptions;
import com.yubico.webauthn.attestation.AttestationTrustSource;
import com.yubico.webauthn.data.AttestationConveyancePreference;
import com.yubico.webauthn.data.AttestationType;
import com.yubico.webauthn.data.ByteArray;
import com.yubico.webauthn.data.PublicKeyCredential;
import com.yubico.webauthn.data.PublicKeyCredentialCreationOptions;
import com.yubico.webauthn.data.PublicKeyCredentialDescriptor;
import com.yubico.webauthn.data.PublicKeyCredentialParameters;
import com.yubico.webauthn.data.RelyingPartyIdentity;
import com.yubico.webauthn.data.UserIdentity;
import com.yubico.webauthn.exception.RegistrationFailedException;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.core.crypto.CredentialKey;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.core.profile.AttestationFormat;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.store.MemoryStore;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An independent RP library (Yubico java-webauthn-server) verifies softkey's statements, with the
 * exported root as its only attestation trust root and revocation checking off. The authenticator
 * data is laid out here as WebAuthn L3 section 6.1 describes, so the test does not depend on the
 * makeCredential handler.
 */
class AttestationInteropTest {
  private static final String RP_ID = "example.com";
  private static final String ORIGIN = "https://example.com";

  private final Profile profile = Profiles.defaultProfile();
  private final RandomSource random = RandomSource.seeded(11);
  private final DefaultAttestationProvider provider =
      new DefaultAttestationProvider(profile, AttestationCa.open(new MemoryStore(), random, FIXED_CLOCK), new MemoryStore());

  private static byte[] sha256(byte[] in) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(in);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] uuidBytes(UUID u) {
    return ByteBuffer.allocate(16)
        .putLong(u.getMostSignificantBits())
        .putLong(u.getLeastSignificantBits())
        .array();
  }

  /** rpIdHash || flags (UP, AT) || signCount 0 || AAGUID || L || credentialId || COSE key. */
  private static byte[] authenticatorData(UUID aaguid, Bytes credentialId, CredentialKey key) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(sha256(RP_ID.getBytes(StandardCharsets.UTF_8)));
    out.write(0x41);
    out.writeBytes(new byte[4]);
    out.writeBytes(uuidBytes(aaguid));
    out.write(credentialId.length() >>> 8);
    out.write(credentialId.length());
    out.writeBytes(credentialId.toArray());
    out.writeBytes(CborEncoder.encode(key.cosePublicKey()));
    return out.toByteArray();
  }

  private static RelyingParty relyingParty(Bytes trustedRoot) {
    AttestationTrustSource trust =
        (chain, aaguid) ->
            AttestationTrustSource.TrustRootsResult.builder()
                .trustRoots(Set.of(certificate(trustedRoot)))
                .enableRevocationChecking(false)
                .build();
    return RelyingParty.builder()
        .identity(RelyingPartyIdentity.builder().id(RP_ID).name("Example").build())
        .credentialRepository(new NoCredentials())
        .origins(Set.of(ORIGIN))
        .attestationConveyancePreference(AttestationConveyancePreference.DIRECT)
        .attestationTrustSource(trust)
        .allowUntrustedAttestation(true)
        .preferredPubkeyParams(
            List.of(
                PublicKeyCredentialParameters.ES256,
                PublicKeyCredentialParameters.EdDSA,
                PublicKeyCredentialParameters.ES384,
                PublicKeyCredentialParameters.RS256))
        .clock(FIXED_CLOCK)
        .build();
  }

  private RegistrationResult register(
      AttestationFormat kind, CoseAlgorithm alg, UUID aaguid, Bytes trustedRoot) throws Exception {
    RelyingParty rp = relyingParty(trustedRoot);
    PublicKeyCredentialCreationOptions request =
        rp.startRegistration(
            StartRegistrationOptions.builder()
                .user(
                    UserIdentity.builder()
                        .name("alice")
                        .displayName("Alice")
                        .id(new ByteArray(new byte[] {1, 2, 3, 4}))
                        .build())
                .build());
    CredentialKey key = CredentialKey.generate(alg, random);
    Bytes credentialId = Bytes.wrap(random.bytes(32));
    byte[] clientDataJson =
        ("{\"type\":\"webauthn.create\",\"challenge\":\""
                + request.getChallenge().getBase64Url()
                + "\",\"origin\":\""
                + ORIGIN
                + "\",\"crossOrigin\":false}")
            .getBytes(StandardCharsets.UTF_8);
    byte[] authData = authenticatorData(aaguid, credentialId, key);

    AttestationStatement st =
        provider.attest(
            kind,
            new AttestationInput(
                Bytes.wrap(authData),
                Bytes.wrap(sha256(clientDataJson)),
                Bytes.wrap(sha256(RP_ID.getBytes(StandardCharsets.UTF_8))),
                credentialId,
                key));

    Map<Object, Object> attestationObject = new LinkedHashMap<>();
    attestationObject.put("fmt", st.format());
    attestationObject.put("attStmt", st.statement());
    attestationObject.put("authData", authData);
    String json =
        "{\"type\":\"public-key\",\"id\":\""
            + credentialId.base64Url()
            + "\",\"rawId\":\""
            + credentialId.base64Url()
            + "\",\"response\":{\"attestationObject\":\""
            + Bytes.wrap(CborEncoder.encode(attestationObject)).base64Url()
            + "\",\"clientDataJSON\":\""
            + Bytes.wrap(clientDataJson).base64Url()
            + "\"},\"clientExtensionResults\":{}}";
    return rp.finishRegistration(
        FinishRegistrationOptions.builder()
            .request(request)
            .response(PublicKeyCredential.parseRegistrationResponseJson(json))
            .build());
  }

  @Test
  void packedBasicAttestationIsTrustedUnderTheExportedRoot() throws Exception {
    RegistrationResult result =
        register(AttestationFormat.PACKED, CoseAlgorithm.ES256, profile.identity().aaguid(), provider.ca().rootCertificate());

    assertThat(result.getAttestationType()).isEqualTo(AttestationType.BASIC);
    assertThat(result.isAttestationTrusted()).isTrue();
    // [batch, intermediate] from x5c; the root is the trust anchor.
    assertThat(result.getAttestationTrustPath().orElseThrow()).hasSize(2);
  }

  @Test
  void packedAttestationIsNotTrustedUnderAnotherRoot() throws Exception {
    Bytes otherRoot =
        new AttestationCa(new MemoryStore(), RandomSource.seeded(12), FIXED_CLOCK)
            .rootCertificate();

    RegistrationResult result =
        register(AttestationFormat.PACKED, CoseAlgorithm.ES256, profile.identity().aaguid(), otherRoot);

    assertThat(result.isAttestationTrusted()).isFalse();
  }

  @Test
  void packedAttestationFailsWhenAuthDataAaguidDiffersFromTheCertificate() {
    // WebAuthn L3 section 8.2 verification: the certificate's id-fido-gen-ce-aaguid must match.
    UUID other = UUID.fromString("11111111-2222-4333-8444-555555555555");

    assertThatThrownBy(
            () -> register(AttestationFormat.PACKED, CoseAlgorithm.ES256, other, provider.ca().rootCertificate()))
        .isInstanceOf(RegistrationFailedException.class)
        .hasMessageContaining("AAGUID");
  }

  @ParameterizedTest
  @EnumSource(CoseAlgorithm.class)
  void selfAttestationVerifies(CoseAlgorithm alg) throws Exception {
    RegistrationResult result =
        register(AttestationFormat.SELF, alg, profile.identity().aaguid(), provider.ca().rootCertificate());

    assertThat(result.getAttestationType()).isEqualTo(AttestationType.SELF_ATTESTATION);
  }

  @Test
  void fidoU2fAttestationIsTrustedUnderTheVendorIntermediate() throws Exception {
    // fido-u2f's x5c is the batch certificate alone (WebAuthn L3 section 8.6), so the RP trusts the
    // intermediate that issued it.
    RegistrationResult result =
        register(
            AttestationFormat.FIDO_U2F, CoseAlgorithm.ES256, profile.identity().aaguid(),
            provider.ca().intermediateCertificate(profile.identity().vendor()));

    assertThat(result.getAttestationType()).isEqualTo(AttestationType.BASIC);
    assertThat(result.isAttestationTrusted()).isTrue();
  }

  @Test
  void noneAttestationVerifies() throws Exception {
    RegistrationResult result =
        register(AttestationFormat.NONE, CoseAlgorithm.EDDSA, profile.identity().aaguid(), provider.ca().rootCertificate());

    assertThat(result.getAttestationType()).isEqualTo(AttestationType.NONE);
  }

  /** Registration needs no stored credentials. */
  private static final class NoCredentials implements CredentialRepository {
    @Override
    public Set<PublicKeyCredentialDescriptor> getCredentialIdsForUsername(String username) {
      return Set.of();
    }

    @Override
    public Optional<ByteArray> getUserHandleForUsername(String username) {
      return Optional.empty();
    }

    @Override
    public Optional<String> getUsernameForUserHandle(ByteArray userHandle) {
      return Optional.empty();
    }

    @Override
    public Optional<RegisteredCredential> lookup(ByteArray credentialId, ByteArray userHandle) {
      return Optional.empty();
    }

    @Override
    public Set<RegisteredCredential> lookupAll(ByteArray credentialId) {
      return Set.of();
    }
  }
}
