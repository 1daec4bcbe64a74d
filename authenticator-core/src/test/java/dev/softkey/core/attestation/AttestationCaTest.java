package dev.softkey.core.attestation;

import static dev.softkey.core.attestation.AttestationTestSupport.FIXED_CLOCK;
import static dev.softkey.core.attestation.AttestationTestSupport.NOW;
import static dev.softkey.core.attestation.AttestationTestSupport.certificate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.profile.Transport;
import dev.softkey.core.store.MemoryStore;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class AttestationCaTest {
  /**
   * SubjectPublicKeyInfo prefix of an uncompressed P-256 key with the named curve (RFC 5480 section
   * 2).
   */
  private static final String P256_SPKI_PREFIX =
      "3059301306072a8648ce3d020106082a8648ce3d030107034200";

  private final Profile profile = Profiles.defaultProfile();
  private final MemoryStore store = new MemoryStore();
  private final AttestationCa ca = new AttestationCa(store, RandomSource.seeded(7), FIXED_CLOCK);

  private static Map<String, String> subject(X509Certificate cert) {
    try {
      Map<String, String> out = new HashMap<>();
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        out.put(rdn.getType(), rdn.getValue().toString());
      }
      return out;
    } catch (InvalidNameException e) {
      throw new AssertionError(e);
    }
  }

  private static void validate(Bytes leaf, Bytes root, Instant at) throws Exception {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    CertPath path = cf.generateCertPath(List.of(certificate(leaf)));
    PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(certificate(root), null)));
    params.setRevocationEnabled(false);
    params.setDate(Date.from(at));
    CertPathValidator.getInstance("PKIX").validate(path, params);
  }

  @Nested
  class Root {
    @Test
    void isSelfSignedP256WithCriticalCaBasicConstraints() throws Exception {
      X509Certificate root = certificate(ca.rootCertificate());

      root.verify(root.getPublicKey());
      assertThat(root.getVersion()).isEqualTo(3);
      assertThat(root.getSigAlgName()).isEqualTo("SHA256withECDSA");
      assertThat(Bytes.wrap(root.getPublicKey().getEncoded()).hex()).startsWith(P256_SPKI_PREFIX);
      assertThat(root.getSubjectX500Principal()).isEqualTo(root.getIssuerX500Principal());
      assertThat(subject(root))
          .containsEntry("CN", "softkey Attestation Root CA")
          .containsEntry("O", "softkey")
          .containsEntry("C", "US");
      assertThat(root.getBasicConstraints()).isEqualTo(0); // CA with pathLen 0
      assertThat(root.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
    }

    @Test
    void keyUsageIsKeyCertSignAndCrlSignOnly() {
      boolean[] ku = certificate(ca.rootCertificate()).getKeyUsage();
      // digitalSignature(0) .. keyCertSign(5), cRLSign(6)
      assertThat(ku).startsWith(false, false, false, false, false, true, true);
      for (int i = 7; i < ku.length; i++) {
        assertThat(ku[i]).isFalse();
      }
    }

    @Test
    void validityStartsFromTheClockAndLastsThirtyYears() {
      X509Certificate root = certificate(ca.rootCertificate());
      Instant expectedStart = NOW.truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(1));

      assertThat(root.getNotBefore().toInstant()).isEqualTo(expectedStart);
      assertThat(root.getNotAfter().toInstant())
          .isEqualTo(expectedStart.atOffset(ZoneOffset.UTC).plusYears(30).toInstant());
    }

    @Test
    void pemParsesToTheSameCertificate() throws Exception {
      String pem = ca.rootCertificatePem();

      assertThat(pem)
          .startsWith("-----BEGIN CERTIFICATE-----\n")
          .endsWith("-----END CERTIFICATE-----\n");
      assertThat(pem.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(64));
      X509Certificate parsed =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(
                      new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      assertThat(Bytes.wrap(parsed.getEncoded())).isEqualTo(ca.rootCertificate());
    }

    @Test
    void serialNumberIsPositiveAndSixteenBytes() {
      X509Certificate root = certificate(ca.rootCertificate());

      assertThat(root.getSerialNumber().signum()).isEqualTo(1);
      assertThat(root.getSerialNumber().bitLength()).isEqualTo(127);
    }
  }

  @Nested
  class Batch {
    @Test
    void meetsPackedAttestationCertificateRequirements() {
      // WebAuthn L3 section 8.2.1
      X509Certificate batch = certificate(ca.batch(profile).certificate());

      assertThat(batch.getVersion()).isEqualTo(3);
      assertThat(subject(batch))
          .containsEntry("C", "US")
          .containsEntry("O", "softkey")
          .containsEntry("OU", "Authenticator Attestation")
          .containsEntry("CN", "softkey Batch Attestation generic");
      assertThat(batch.getExtensionValue("2.5.29.19")).isNotNull();
      assertThat(batch.getBasicConstraints()).isEqualTo(-1); // cA FALSE
      assertThat(Bytes.wrap(batch.getPublicKey().getEncoded()).hex()).startsWith(P256_SPKI_PREFIX);
      assertThat(batch.getSigAlgName()).isEqualTo("SHA256withECDSA");
    }

    @Test
    void aaguidExtensionIsANonCriticalOctetStringInsideTheExtensionValue() {
      X509Certificate batch = certificate(ca.batch(profile).certificate());

      // extnValue OCTET STRING (04 12) wrapping the AAGUID OCTET STRING (04 10 <16 bytes>)
      String aaguidHex = profile.identity().aaguid().toString().replace("-", "");
      assertThat(Bytes.wrap(batch.getExtensionValue("1.3.6.1.4.1.45724.1.1.4")).hex())
          .isEqualTo("0412" + "0410" + aaguidHex);
      assertThat(batch.getNonCriticalExtensionOIDs()).contains("1.3.6.1.4.1.45724.1.1.4");
    }

    @Test
    void transportsExtensionHasTheUsbBit() {
      X509Certificate batch = certificate(ca.batch(profile).certificate());

      // extnValue OCTET STRING (04 04) wrapping BIT STRING (03 02), 5 unused bits, uSB(2) = 0x20
      assertThat(Bytes.wrap(batch.getExtensionValue("1.3.6.1.4.1.45724.2.1.1")).hex())
          .isEqualTo("0404" + "030205" + "20");
      assertThat(batch.getNonCriticalExtensionOIDs()).contains("1.3.6.1.4.1.45724.2.1.1");
    }

    @Test
    void transportBitsFollowTheU2fTransportsExtension() {
      assertThat(AttestationCa.transportsBits(List.of(Transport.NFC, Transport.USB)).orElseThrow().getBytes())
          .containsExactly(0x30);
      assertThat(AttestationCa.transportsBits(List.of(Transport.NFC, Transport.USB)).orElseThrow().getPadBits())
          .isEqualTo(4);
      assertThat(AttestationCa.transportsBits(List.of(Transport.BLE)).orElseThrow().getPadBits())
          .isEqualTo(6);
      assertThat(AttestationCa.transportsBits(List.of(Transport.HYBRID))).isEmpty();
    }

    @Test
    void chainValidatesToTheRootWithPkix() throws Exception {
      validate(ca.batch(profile).certificate(), ca.rootCertificate(), NOW);
    }

    @Test
    void chainDoesNotValidateUnderAnotherRoot() {
      AttestationCa other =
          new AttestationCa(new MemoryStore(), RandomSource.seeded(8), FIXED_CLOCK);

      assertThatThrownBy(
              () -> validate(ca.batch(profile).certificate(), other.rootCertificate(), NOW))
          .isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void certificateChainIsBatchThenRoot() {
      assertThat(ca.certificateChain(profile))
          .containsExactly(ca.batch(profile).certificate(), ca.rootCertificate());
    }

    @Test
    void batchValidityEndsNoLaterThanTheRoot() {
      X509Certificate root = certificate(ca.rootCertificate());
      // The batch is issued 25 years after the root: 20 more years would outlive the root.
      AttestationCa later =
          new AttestationCa(
              store,
              RandomSource.seeded(9),
              Clock.fixed(NOW.plus(Duration.ofDays(25 * 365)), ZoneOffset.UTC));

      X509Certificate batch = certificate(later.batch(profile).certificate());

      assertThat(batch.getNotAfter()).isEqualTo(root.getNotAfter());
    }

    @Test
    void eachProfileGetsItsOwnBatchKeyUnderTheSameRoot() throws Exception {
      Profile yubikey = Profiles.builtIn("yubikey-5").orElseThrow();

      BatchAttestation a = ca.batch(profile);
      BatchAttestation b = ca.batch(yubikey);

      assertThat(a.publicKeyPoint()).isNotEqualTo(b.publicKeyPoint());
      validate(b.certificate(), ca.rootCertificate(), NOW);
      assertThat(store.get("attestation.batch.yubikey-5")).isPresent();
    }
  }

  @Nested
  class Persistence {
    @Test
    void recordsAreVersionedCborUnderTheDocumentedKeys() {
      ca.batch(profile);

      for (String key : List.of("attestation.root", "attestation.batch.generic")) {
        CborMap record = CborDecoder.decodeMap(store.get(key).orElseThrow().toArray());
        assertThat(record.longValue(1L)).as("version").isEqualTo(1);
        assertThat(record.bytes(2L).length()).as("private scalar").isEqualTo(32);
      }
      CborMap root = CborDecoder.decodeMap(store.get("attestation.root").orElseThrow().toArray());
      assertThat(root.bytes(3L)).isEqualTo(ca.rootCertificate());
    }

    @Test
    void anotherCaOverTheSameStoreKeepsRootAndBatch() {
      Bytes root = ca.rootCertificate();
      Bytes batch = ca.batch(profile).certificate();

      AttestationCa again =
          new AttestationCa(
              store,
              RandomSource.seeded(99),
              Clock.fixed(NOW.plusSeconds(86_400 * 10), ZoneOffset.UTC));

      assertThat(again.rootCertificate()).isEqualTo(root);
      assertThat(again.batch(profile).certificate()).isEqualTo(batch);
      byte[] message = {1, 2, 3};
      assertThat(
              AttestationTestSupport.verify(
                  "SHA256withECDSA",
                  certificate(batch).getPublicKey(),
                  message,
                  again.batch(profile).sign(message)))
          .isTrue();
    }

    @Test
    void batchIsReissuedWhenTheProfileAaguidChanges() throws Exception {
      Bytes first = ca.batch(profile).certificate();
      UUID newAaguid = UUID.fromString("11111111-2222-4333-8444-555555555555");

      Bytes second = ca.batch(AttestationTestSupport.withAaguid(profile, newAaguid)).certificate();

      assertThat(second).isNotEqualTo(first);
      assertThat(Bytes.wrap(certificate(second).getExtensionValue("1.3.6.1.4.1.45724.1.1.4")).hex())
          .isEqualTo("0412" + "0410" + "11111111222243338444555555555555");
      validate(second, ca.rootCertificate(), NOW);
    }

    @Test
    void batchIsReissuedWhenTheRootIsGone() throws Exception {
      ca.batch(profile);
      store.remove("attestation.root");

      AttestationCa fresh = new AttestationCa(store, RandomSource.seeded(10), FIXED_CLOCK);

      validate(fresh.batch(profile).certificate(), fresh.rootCertificate(), NOW);
    }

    @Test
    void unknownRecordVersionFailsWithOther() {
      store.put("attestation.root", Bytes.fromHex("a10102")); // {1: 2}

      assertThatThrownBy(ca::rootCertificate)
          .isInstanceOfSatisfying(
              CtapException.class,
              e -> assertThat(e.status()).isEqualTo(CtapStatus.CTAP1_ERR_OTHER))
          .hasMessageContaining("unsupported record version");
    }

    @Test
    void malformedRecordFailsWithOtherAndIsNotReplaced() {
      Bytes garbage = Bytes.fromHex("ff00");
      store.put("attestation.root", garbage);

      assertThatThrownBy(ca::rootCertificate)
          .isInstanceOfSatisfying(
              CtapException.class,
              e -> assertThat(e.status()).isEqualTo(CtapStatus.CTAP1_ERR_OTHER));
      assertThat(store.get("attestation.root")).contains(garbage);
    }

    @Test
    void recordWhoseCertificateDoesNotMatchTheKeyIsRejected() {
      ca.rootCertificate();
      CborMap record = CborDecoder.decodeMap(store.get("attestation.root").orElseThrow().toArray());
      Map<Object, Object> tampered = new HashMap<>(record.asMap());
      tampered.put(2L, Bytes.fromHex("01".repeat(32)));
      store.put("attestation.root", dev.softkey.ctap.cbor.CborEncoder.encodeBytes(tampered));

      assertThatThrownBy(
              () -> new AttestationCa(store, RandomSource.seeded(7), FIXED_CLOCK).rootCertificate())
          .isInstanceOf(CtapException.class)
          .hasMessageContaining("does not match");
    }
  }

  @Nested
  class Determinism {
    @Test
    void seededRandomAndFixedClockReproduceTheCertificates() {
      AttestationCa a = new AttestationCa(new MemoryStore(), RandomSource.seeded(42), FIXED_CLOCK);
      AttestationCa b = new AttestationCa(new MemoryStore(), RandomSource.seeded(42), FIXED_CLOCK);

      assertThat(a.rootCertificate()).isEqualTo(b.rootCertificate());
      assertThat(a.batch(profile).certificate()).isEqualTo(b.batch(profile).certificate());
      assertThat(a.rootCertificatePem()).isEqualTo(b.rootCertificatePem());
    }

    @Test
    void anotherSeedGivesAnotherRoot() {
      AttestationCa a = new AttestationCa(new MemoryStore(), RandomSource.seeded(42), FIXED_CLOCK);
      AttestationCa b = new AttestationCa(new MemoryStore(), RandomSource.seeded(43), FIXED_CLOCK);

      assertThat(a.rootCertificate()).isNotEqualTo(b.rootCertificate());
    }
  }

  @Test
  void toStringNamesNoKeyMaterial() {
    BatchAttestation batch = ca.batch(profile);
    String rootKeyHex =
        CborDecoder.decodeMap(store.get("attestation.root").orElseThrow().toArray())
            .bytes(2L)
            .hex();
    String batchKeyHex =
        CborDecoder.decodeMap(store.get("attestation.batch.generic").orElseThrow().toArray())
            .bytes(2L)
            .hex();

    assertThat(batch.toString()).isEqualTo("BatchAttestation[generic]");
    assertThat(ca.toString()).doesNotContain(rootKeyHex).doesNotContain(batchKeyHex);
  }
}
