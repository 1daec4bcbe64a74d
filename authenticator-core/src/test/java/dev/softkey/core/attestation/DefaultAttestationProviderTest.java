package dev.softkey.core.attestation;

import static dev.softkey.core.attestation.AttestationTestSupport.FIXED_CLOCK;
import static dev.softkey.core.attestation.AttestationTestSupport.certificate;
import static dev.softkey.core.attestation.AttestationTestSupport.jcaPublicKey;
import static dev.softkey.core.attestation.AttestationTestSupport.jcaSignatureAlgorithm;
import static dev.softkey.core.attestation.AttestationTestSupport.verify;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.core.crypto.CredentialKey;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.core.profile.AttestationFormat;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.store.MemoryStore;
import java.security.PublicKey;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DefaultAttestationProviderTest {
  private final Profile profile = Profiles.defaultProfile();
  private final MemoryStore store = new MemoryStore();
  private final MemoryStore caStore = new MemoryStore();
  private final RandomSource random = RandomSource.seeded(1);
  private final DefaultAttestationProvider provider =
      new DefaultAttestationProvider(profile, AttestationCa.open(caStore, random, FIXED_CLOCK), store);

  /** An input with distinct, recognisable parts; the attestation code treats authData as opaque. */
  private static AttestationInput input(CredentialKey key) {
    return new AttestationInput(
        Bytes.wrap(filled(77, 0xAD)),
        Bytes.wrap(filled(32, 0xCD)),
        Bytes.wrap(filled(32, 0x1D)),
        Bytes.wrap(filled(48, 0xC1)),
        key);
  }

  private static byte[] filled(int n, int value) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (value + i);
    }
    return b;
  }

  private static byte[] concat(Bytes... parts) {
    return Bytes.concat(parts).toArray();
  }

  /** The statement as an RP decodes it from the canonical CBOR on the wire. */
  private static CborMap wire(AttestationStatement st) {
    return CborDecoder.decodeMap(CborEncoder.encode(st.statement()));
  }

  private static PublicKey x5cKey(CborMap attStmt) {
    List<Object> x5c = attStmt.list("x5c");
    assertThat(x5c).isNotEmpty();
    return certificate((Bytes) x5c.get(0)).getPublicKey();
  }

  @Nested
  class Packed {
    @Test
    void signsAuthenticatorDataAndClientDataHashWithTheBatchKey() {
      AttestationInput in = input(CredentialKey.generate(CoseAlgorithm.ES256, random));

      AttestationStatement st = provider.attest(AttestationFormat.PACKED, in);

      assertThat(st.format()).isEqualTo("packed");
      CborMap attStmt = wire(st);
      assertThat(attStmt.size()).isEqualTo(3);
      assertThat(attStmt.longValue("alg")).isEqualTo(-7);
      byte[] attToBeSigned = concat(in.authenticatorData(), in.clientDataHash());
      assertThat(verify("SHA256withECDSA", x5cKey(attStmt), attToBeSigned, attStmt.bytes("sig")))
          .isTrue();
    }

    @Test
    void signatureDoesNotVerifyOverOtherData() {
      AttestationInput in = input(CredentialKey.generate(CoseAlgorithm.ES256, random));

      CborMap attStmt = wire(provider.attest(AttestationFormat.PACKED, in));

      assertThat(
              verify(
                  "SHA256withECDSA",
                  x5cKey(attStmt),
                  in.authenticatorData().toArray(),
                  attStmt.bytes("sig")))
          .isFalse();
    }

    @Test
    void x5cIsTheBatchCertificateThenItsIntermediateWithoutTheRoot() {
      // WebAuthn L3 section 8.2: x5c is attestnCert followed by its certificate chain; the root is
      // the RP's trust anchor.
      CborMap attStmt =
          wire(
              provider.attest(
                  AttestationFormat.PACKED, input(CredentialKey.generate(CoseAlgorithm.EDDSA, random))));

      assertThat(attStmt.list("x5c"))
          .containsExactly(provider.ca().batch(profile).certificate(), provider.ca().intermediateCertificate("softkey"));
      assertThat(attStmt.list("x5c")).isEqualTo(List.copyOf(provider.ca().certificateChain(profile)));
      assertThat(attStmt.list("x5c")).doesNotContain(provider.ca().rootCertificate());
    }
  }

  @Nested
  class Self {
    @ParameterizedTest
    @EnumSource(CoseAlgorithm.class)
    void signsWithTheCredentialKeyAndHasNoX5c(CoseAlgorithm alg) {
      CredentialKey key = CredentialKey.generate(alg, random);
      AttestationInput in = input(key);

      AttestationStatement st = provider.attest(AttestationFormat.SELF, in);

      assertThat(st.format()).isEqualTo("packed");
      CborMap attStmt = wire(st);
      assertThat(attStmt.has("x5c")).isFalse();
      assertThat(attStmt.longValue("alg")).isEqualTo(alg.id());
      byte[] attToBeSigned = concat(in.authenticatorData(), in.clientDataHash());
      assertThat(
              verify(
                  jcaSignatureAlgorithm(alg.id()),
                  jcaPublicKey(key),
                  attToBeSigned,
                  attStmt.bytes("sig")))
          .isTrue();
    }

    @Test
    void needsNoAttestationMaterial() {
      provider.attest(AttestationFormat.SELF, input(CredentialKey.generate(CoseAlgorithm.ES256, random)));

      assertThat(store.get("attestation.root")).isEmpty();
    }
  }

  @Nested
  class None {
    @Test
    void hasFormatNoneAndAnEmptyStatement() {
      AttestationStatement st =
          provider.attest(AttestationFormat.NONE, input(CredentialKey.generate(CoseAlgorithm.ES256, random)));

      assertThat(st.format()).isEqualTo("none");
      assertThat(st.statement()).isEmpty();
      assertThat(CborEncoder.encodeBytes(st.statement()).hex()).isEqualTo("a0");
    }
  }

  @Nested
  class FidoU2f {
    @Test
    void signsTheU2fRegistrationDataWithTheBatchKey() {
      // WebAuthn L3 section 8.6: 0x00 || rpIdHash || clientDataHash || credentialId || publicKeyU2F
      CredentialKey key = CredentialKey.generate(CoseAlgorithm.ES256, random);
      AttestationInput in = input(key);

      AttestationStatement st = provider.attest(AttestationFormat.FIDO_U2F, in);

      assertThat(st.format()).isEqualTo("fido-u2f");
      CborMap attStmt = wire(st);
      assertThat(attStmt.size()).isEqualTo(2);
      assertThat(attStmt.has("alg")).isFalse();
      Bytes publicKeyU2f = key.uncompressedEcPoint();
      assertThat(publicKeyU2f.length()).isEqualTo(65);
      assertThat(publicKeyU2f.get(0)).isEqualTo(0x04);
      byte[] verificationData =
          concat(
              Bytes.wrap(new byte[] {0x00}),
              in.rpIdHash(),
              in.clientDataHash(),
              in.credentialId(),
              publicKeyU2f);
      assertThat(verify("SHA256withECDSA", x5cKey(attStmt), verificationData, attStmt.bytes("sig")))
          .isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = CoseAlgorithm.class, names = "ES256", mode = EnumSource.Mode.EXCLUDE)
    void nonEs256CredentialIsUnsupportedAlgorithm(CoseAlgorithm alg) {
      AttestationInput in = input(CredentialKey.generate(alg, random));

      assertThatThrownBy(() -> provider.attest(AttestationFormat.FIDO_U2F, in))
          .isInstanceOfSatisfying(
              CtapException.class,
              e -> assertThat(e.status()).isEqualTo(CtapStatus.CTAP2_ERR_UNSUPPORTED_ALGORITHM));
    }
  }

  @Nested
  class Ctap1 {
    @Test
    void signU2fVerifiesWithTheU2fCertificate() {
      byte[] data = filled(130, 0x05);

      byte[] sig = provider.signU2f(data);

      PublicKey batchKey = certificate(Bytes.wrap(provider.u2fCertificate())).getPublicKey();
      assertThat(verify("SHA256withECDSA", batchKey, data, Bytes.wrap(sig))).isTrue();
    }

    @Test
    void u2fCertificateIsTheProfileBatchCertificate() {
      assertThat(Bytes.wrap(provider.u2fCertificate()))
          .isEqualTo(provider.ca().batch(profile).certificate());
    }
  }

  @Test
  void secondProviderOverTheSameCaStoreHasTheSameRootAndBatch() {
    Bytes root = provider.ca().rootCertificate();
    byte[] batch = provider.u2fCertificate();

    DefaultAttestationProvider second =
        new DefaultAttestationProvider(profile, AttestationCa.open(caStore, RandomSource.seeded(2), FIXED_CLOCK), new MemoryStore());

    assertThat(second.ca().rootCertificatePem()).isEqualTo(provider.ca().rootCertificatePem());
    assertThat(second.ca().rootCertificate()).isEqualTo(root);
    assertThat(second.u2fCertificate()).isEqualTo(batch);
  }

  @Test
  void seededRandomAndFixedClockReproduceStatements() {
    DefaultAttestationProvider a =
        new DefaultAttestationProvider(
            profile, AttestationCa.open(new MemoryStore(), RandomSource.seeded(5), FIXED_CLOCK), new MemoryStore());
    DefaultAttestationProvider b =
        new DefaultAttestationProvider(
            profile, AttestationCa.open(new MemoryStore(), RandomSource.seeded(5), FIXED_CLOCK), new MemoryStore());
    AttestationInput in =
        input(CredentialKey.generate(CoseAlgorithm.ES256, RandomSource.seeded(6)));

    assertThat(CborEncoder.encodeBytes(a.attest(AttestationFormat.PACKED, in).statement()))
        .isEqualTo(CborEncoder.encodeBytes(b.attest(AttestationFormat.PACKED, in).statement()));
    assertThat(CborEncoder.encodeBytes(a.attest(AttestationFormat.FIDO_U2F, in).statement()))
        .isEqualTo(CborEncoder.encodeBytes(b.attest(AttestationFormat.FIDO_U2F, in).statement()));
  }
}
