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
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.X509CRL;
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

  /** PKIX validation of [leaf, the profile's vendor intermediate of {@code ca}] under {@code root}. */
  private void validate(Bytes leaf, Bytes root, Instant at) throws Exception {
    validate(List.of(leaf, ca.intermediateCertificate(profile.identity().vendor())), root, at);
  }

  static void validate(List<Bytes> chain, Bytes root, Instant at) throws Exception {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    CertPath path = cf.generateCertPath(chain.stream().map(AttestationTestSupport::certificate).toList());
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
      assertThat(root.getBasicConstraints()).isEqualTo(1); // CA with pathLen 1: the intermediates below it
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
      validate(ca.certificateChain(profile), ca.rootCertificate(), NOW);
    }

    @Test
    void batchAloneDoesNotValidateToTheRoot() {
      assertThatThrownBy(() -> validate(List.of(ca.batch(profile).certificate()), ca.rootCertificate(), NOW))
          .isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void isIssuedByTheIntermediateOfTheProfilesVendor() throws Exception {
      Profile yubikey = Profiles.builtIn("yubikey-5").orElseThrow();
      X509Certificate batch = certificate(ca.batch(yubikey).certificate());
      X509Certificate intermediate = certificate(ca.intermediateCertificate("Yubico"));

      batch.verify(intermediate.getPublicKey());
      assertThat(batch.getIssuerX500Principal()).isEqualTo(intermediate.getSubjectX500Principal());
      assertThat(subject(batch))
          .containsEntry("O", "softkey")
          .containsEntry("OU", "Authenticator Attestation")
          .containsEntry("CN", "softkey Yubico Batch yubikey-5");
      assertThat(ca.certificateChain(yubikey)).containsExactly(ca.batch(yubikey).certificate(), ca.intermediateCertificate("Yubico"));
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
    void certificateChainIsBatchThenIntermediateWithoutTheRoot() {
      assertThat(ca.certificateChain(profile))
          .containsExactly(ca.batch(profile).certificate(), ca.intermediateCertificate("softkey"))
          .doesNotContain(ca.rootCertificate());
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
      validate(ca.certificateChain(yubikey), ca.rootCertificate(), NOW);
      assertThat(store.get("ca.batch.yubikey-5")).isPresent();
    }
  }

  @Nested
  class Persistence {
    @Test
    void recordsAreVersionedCborUnderTheDocumentedKeys() {
      ca.batch(profile);

      for (String key : List.of("ca.root", "ca.intermediate.softkey", "ca.batch.generic")) {
        CborMap record = CborDecoder.decodeMap(store.get(key).orElseThrow().toArray());
        assertThat(record.longValue(1L)).as("version").isEqualTo(1);
        assertThat(record.bytes(2L).length()).as("private scalar").isEqualTo(32);
      }
      CborMap root = CborDecoder.decodeMap(store.get("ca.root").orElseThrow().toArray());
      assertThat(root.bytes(3L)).isEqualTo(ca.rootCertificate());
      assertThat(CborDecoder.decode(store.get("ca.vendors").orElseThrow().toArray())).isEqualTo(List.of("softkey"));
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
    void batchIsReissuedWhenItsIntermediateIsGone() throws Exception {
      Bytes first = ca.batch(profile).certificate();
      store.remove("ca.root");
      store.remove("ca.intermediate.softkey");

      AttestationCa fresh = new AttestationCa(store, RandomSource.seeded(10), FIXED_CLOCK);

      assertThat(fresh.batch(profile).certificate()).isNotEqualTo(first);
      validate(fresh.certificateChain(profile), fresh.rootCertificate(), NOW);
    }

    @Test
    void recordsOfOlderVersionsInADeviceStoreAreLeftAloneAndNotUsed() {
      AttestationCa old = new AttestationCa(new MemoryStore(), RandomSource.seeded(3), FIXED_CLOCK);
      Bytes oldRecord = dev.softkey.ctap.cbor.CborEncoder.encodeBytes(Map.of(1L, 1L, 2L, Bytes.fromHex("01".repeat(32)), 3L, old.rootCertificate()));
      store.put("attestation.root", oldRecord);

      Bytes root = ca.rootCertificate();

      assertThat(root).isNotEqualTo(old.rootCertificate());
      assertThat(store.get("attestation.root")).contains(oldRecord);
    }

    @Test
    void unknownRecordVersionFailsWithOther() {
      store.put("ca.root", Bytes.fromHex("a10102")); // {1: 2}

      assertThatThrownBy(ca::rootCertificate)
          .isInstanceOfSatisfying(
              CtapException.class,
              e -> assertThat(e.status()).isEqualTo(CtapStatus.CTAP1_ERR_OTHER))
          .hasMessageContaining("unsupported record version");
    }

    @Test
    void malformedRecordFailsWithOtherAndIsNotReplaced() {
      Bytes garbage = Bytes.fromHex("ff00");
      store.put("ca.root", garbage);

      assertThatThrownBy(ca::rootCertificate)
          .isInstanceOfSatisfying(
              CtapException.class,
              e -> assertThat(e.status()).isEqualTo(CtapStatus.CTAP1_ERR_OTHER));
      assertThat(store.get("ca.root")).contains(garbage);
    }

    @Test
    void recordWhoseCertificateDoesNotMatchTheKeyIsRejected() {
      ca.rootCertificate();
      CborMap record = CborDecoder.decodeMap(store.get("ca.root").orElseThrow().toArray());
      Map<Object, Object> tampered = new HashMap<>(record.asMap());
      tampered.put(2L, Bytes.fromHex("01".repeat(32)));
      store.put("ca.root", dev.softkey.ctap.cbor.CborEncoder.encodeBytes(tampered));

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

  @Nested
  class Intermediate {
    @Test
    void oneCaPerVendorIssuedByTheRootWithPathLenZero() throws Exception {
      X509Certificate root = certificate(ca.rootCertificate());
      X509Certificate yubico = certificate(ca.intermediateCertificate("Yubico"));

      yubico.verify(root.getPublicKey());
      assertThat(yubico.getIssuerX500Principal()).isEqualTo(root.getSubjectX500Principal());
      assertThat(yubico.getBasicConstraints()).isEqualTo(0);
      assertThat(yubico.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
      assertThat(yubico.getKeyUsage()).startsWith(false, false, false, false, false, true, true);
      assertThat(subject(yubico))
          .containsEntry("C", "US")
          .containsEntry("O", "softkey")
          .containsEntry("OU", "Yubico models")
          .containsEntry("CN", "softkey Yubico Attestation CA");
      assertThat(ca.intermediateCertificate("Yubico")).isEqualTo(ca.intermediateCertificate("Yubico"));
      assertThat(ca.intermediateCertificate("Feitian")).isNotEqualTo(ca.intermediateCertificate("Yubico"));
    }

    @Test
    void neverNamesTheVendorAsIssuerOrOrganization() {
      X509Certificate yubico = certificate(ca.intermediateCertificate("Yubico"));
      X509Certificate batch = certificate(ca.batch(Profiles.builtIn("yubikey-5").orElseThrow()).certificate());

      for (X509Certificate c : List.of(yubico, batch)) {
        assertThat(subject(c)).containsEntry("O", "softkey");
        assertThat(c.getIssuerX500Principal().getName()).doesNotContain("Yubico AB").contains("O=softkey");
      }
    }

    @Test
    void softkeysOwnIntermediateIsTheSoftkeyAttestationCa() {
      assertThat(subject(certificate(ca.intermediateCertificate("softkey"))))
          .containsEntry("CN", "softkey Attestation CA")
          .doesNotContainKey("OU");
    }

    @Test
    void vendorsAreListedInOrderOfCreation() {
      ca.intermediateCertificate("Yubico");
      ca.batch(profile);
      ca.intermediateCertificate("Yubico");

      assertThat(ca.vendors()).containsExactly("Yubico", "softkey");
    }

    @Test
    void storeNamesAreInjectiveAndFileSafe() {
      assertThat(AttestationCa.storeName("Yubico")).isEqualTo("Yubico");
      assertThat(AttestationCa.storeName("Token2 SA")).isEqualTo("Token2_20SA");
      assertThat(AttestationCa.storeName("a/b")).isEqualTo("a_2Fb");
      assertThat(AttestationCa.storeName("a_2Fb")).isNotEqualTo(AttestationCa.storeName("a/b"));
    }
  }

  @Nested
  class Crls {
    private X509CRL crl(Bytes der) throws Exception {
      return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der.toArray()));
    }

    @Test
    void oneCurrentCrlPerCaSignedByItWithNumberAndAuthorityKeyIdentifier() throws Exception {
      ca.batch(profile);
      ca.intermediateCertificate("Yubico");

      List<Bytes> crls = ca.crls();

      // RFC 5280 section 5: the root's, then each intermediate's in order of creation.
      List<X509Certificate> issuers = List.of(
          certificate(ca.rootCertificate()), certificate(ca.intermediateCertificate("softkey")), certificate(ca.intermediateCertificate("Yubico")));
      assertThat(crls).hasSize(3);
      for (int i = 0; i < 3; i++) {
        X509CRL crl = crl(crls.get(i));
        X509Certificate issuer = issuers.get(i);
        crl.verify(issuer.getPublicKey());
        assertThat(crl.getVersion()).isEqualTo(2);
        assertThat(crl.getIssuerX500Principal()).isEqualTo(issuer.getSubjectX500Principal());
        assertThat(crl.getThisUpdate().toInstant()).isBeforeOrEqualTo(NOW);
        assertThat(crl.getNextUpdate().toInstant()).isAfter(NOW);
        assertThat(crl.getRevokedCertificates()).isNull();
        // cRLNumber 1: extnValue OCTET STRING (04 03) wrapping INTEGER 1 (02 01 01)
        assertThat(Bytes.wrap(crl.getExtensionValue("2.5.29.20")).hex()).isEqualTo("0403020101");
        // authorityKeyIdentifier: the issuer's subjectKeyIdentifier
        assertThat(Bytes.wrap(crl.getExtensionValue("2.5.29.35")).hex())
            .endsWith(Bytes.wrap(issuer.getExtensionValue("2.5.29.14")).hex().substring(8));
      }
    }

    @Test
    void aCrlIsKeptUntilHalfItsValidityThenReissuedWithTheNextNumber() throws Exception {
      Bytes first = ca.crls().get(0);
      Instant thisUpdate = crl(first).getThisUpdate().toInstant();
      Duration half = AttestationCa.CRL_VALIDITY.dividedBy(2);

      AttestationCa beforeHalf = new AttestationCa(store, RandomSource.seeded(7), Clock.fixed(thisUpdate.plus(half).minusSeconds(1), ZoneOffset.UTC));
      AttestationCa afterHalf = new AttestationCa(store, RandomSource.seeded(7), Clock.fixed(thisUpdate.plus(half), ZoneOffset.UTC));

      assertThat(beforeHalf.crls().get(0)).isEqualTo(first);
      X509CRL reissued = crl(afterHalf.crls().get(0));
      assertThat(reissued.getThisUpdate().toInstant()).isAfter(thisUpdate);
      assertThat(Bytes.wrap(reissued.getExtensionValue("2.5.29.20")).hex()).isEqualTo("0403020102");
      assertThat(afterHalf.crls().get(0)).isEqualTo(Bytes.wrap(reissued.getEncoded()));
    }

    @Test
    void chainValidatesWithRevocationCheckingGivenTheCrls() throws Exception {
      Instant at = NOW;
      List<Bytes> chain = ca.certificateChain(profile);
      validateWithCrls(chain, ca.rootCertificate(), ca.crls(), at);
    }

    @Test
    void revocationCheckingFailsWithoutTheIntermediatesCrl() {
      List<Bytes> chain = ca.certificateChain(profile);
      List<Bytes> rootOnly = List.of(ca.crls().get(0));

      assertThatThrownBy(() -> validateWithCrls(chain, ca.rootCertificate(), rootOnly, NOW))
          .isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void crlsArePemArmouredAsX509Crl() throws Exception {
      String pem = AttestationCa.crlToPem(ca.crls().get(0));

      assertThat(pem).startsWith("-----BEGIN X509 CRL-----\n").endsWith("-----END X509 CRL-----\n");
      X509CRL parsed = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      assertThat(Bytes.wrap(parsed.getEncoded())).isEqualTo(ca.crls().get(0));
    }

    private void validateWithCrls(List<Bytes> chain, Bytes root, List<Bytes> crls, Instant at) throws Exception {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      CertPath path = cf.generateCertPath(chain.stream().map(AttestationTestSupport::certificate).toList());
      PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(certificate(root), null)));
      params.setRevocationEnabled(true);
      List<X509CRL> parsed = new java.util.ArrayList<>();
      for (Bytes c : crls) {
        parsed.add(crl(c));
      }
      params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(parsed)));
      params.setDate(Date.from(at));
      CertPathValidator.getInstance("PKIX").validate(path, params);
    }
  }

  @Nested
  class Seeded {
    private final Clock today = Clock.fixed(Instant.parse("2026-12-02T05:00:00Z"), ZoneOffset.UTC);
    private final Clock nextYear = Clock.fixed(Instant.parse("2027-06-01T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void theSameSeedGivesTheSameCertificatesWhateverTheDate() {
      AttestationCa a = AttestationCa.seeded(new MemoryStore(), 7, today);
      AttestationCa b = AttestationCa.seeded(new MemoryStore(), 7, nextYear);

      assertThat(a.rootCertificate()).isEqualTo(b.rootCertificate());
      assertThat(a.certificateChain(profile)).isEqualTo(b.certificateChain(profile));
      assertThat(a.metadataSignerChain()).isEqualTo(b.metadataSignerChain());
    }

    @Test
    void validityStartsAtTheFixedDate() {
      AttestationCa a = AttestationCa.seeded(new MemoryStore(), 7, today);

      X509Certificate root = certificate(a.rootCertificate());
      assertThat(root.getNotBefore().toInstant()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
      assertThat(root.getNotAfter().toInstant()).isEqualTo(Instant.parse("2055-01-01T00:00:00Z"));
      assertThat(certificate(a.batch(profile).certificate()).getNotBefore().toInstant())
          .isEqualTo(AttestationCa.SEEDED_NOT_BEFORE);
    }

    @Test
    void theOrderInWhichModelsAreFirstUsedDoesNotMatter() {
      Profile yubikey = Profiles.builtIn("yubikey-5").orElseThrow();
      AttestationCa a = AttestationCa.seeded(new MemoryStore(), 7, today);
      AttestationCa b = AttestationCa.seeded(new MemoryStore(), 7, today);

      a.batch(profile);
      Bytes aYubikey = a.batch(yubikey).certificate();
      Bytes bYubikey = b.batch(yubikey).certificate();

      assertThat(aYubikey).isEqualTo(bYubikey);
    }

    @Test
    void anotherSeedGivesAnotherRoot() {
      assertThat(AttestationCa.seeded(new MemoryStore(), 7, today).rootCertificate())
          .isNotEqualTo(AttestationCa.seeded(new MemoryStore(), 8, today).rootCertificate());
    }

    @Test
    void theCasSourceIsNotTheDevicesSeededSource() {
      assertThat(AttestationCa.seededRandom(7, "root").bytes(32)).isNotEqualTo(RandomSource.seeded(7).bytes(32));
    }
  }

  @Nested
  class Sharing {
    @Test
    void twoCasStartingAtOnceOnOneStoreEndUpWithOneRoot() throws Exception {
      MemoryStore shared = new MemoryStore();
      int n = 8;
      List<AttestationCa> cas = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        cas.add(new AttestationCa(shared, RandomSource.seeded(100 + i), FIXED_CLOCK));
      }
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
      try {
        List<java.util.concurrent.Future<List<Bytes>>> results = new java.util.ArrayList<>();
        for (AttestationCa c : cas) {
          results.add(pool.submit(() -> {
            start.await();
            return List.of(c.rootCertificate(), c.certificateChain(profile).get(0), c.certificateChain(profile).get(1));
          }));
        }
        start.countDown();
        List<Bytes> first = results.get(0).get();
        for (var r : results) {
          assertThat(r.get()).isEqualTo(first);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Nested
  class MetadataSigner {
    @Test
    void isAnEs256EndEntityIssuedDirectlyByTheRoot() throws Exception {
      X509Certificate signer = certificate(ca.metadataSigner().certificate());
      X509Certificate root = certificate(ca.rootCertificate());

      signer.verify(root.getPublicKey());
      assertThat(signer.getBasicConstraints()).isEqualTo(-1);
      assertThat(signer.getKeyUsage()[0]).isTrue(); // digitalSignature
      assertThat(subject(signer)).containsEntry("O", "softkey").containsEntry("CN", "softkey Metadata BLOB Signer");
      assertThat(ca.metadataSignerChain()).containsExactly(ca.metadataSigner().certificate());
      validate(ca.metadataSignerChain(), ca.rootCertificate(), NOW);
      byte[] message = {4, 5, 6};
      assertThat(AttestationTestSupport.verify("SHA256withECDSA", signer.getPublicKey(), message, ca.metadataSigner().sign(message))).isTrue();
    }
  }

  @Test
  void toStringNamesNoKeyMaterial() {
    BatchAttestation batch = ca.batch(profile);
    String rootKeyHex =
        CborDecoder.decodeMap(store.get("ca.root").orElseThrow().toArray())
            .bytes(2L)
            .hex();
    String batchKeyHex =
        CborDecoder.decodeMap(store.get("ca.batch.generic").orElseThrow().toArray())
            .bytes(2L)
            .hex();

    assertThat(batch.toString()).isEqualTo("BatchAttestation[generic]");
    assertThat(ca.toString()).doesNotContain(rootKeyHex).doesNotContain(batchKeyHex);
  }
}
