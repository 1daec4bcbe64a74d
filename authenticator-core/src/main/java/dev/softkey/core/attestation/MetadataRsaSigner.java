package dev.softkey.core.attestation;

import dev.softkey.core.crypto.CredentialKey;
import dev.softkey.core.store.DeviceStateStore;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

/**
 * An RSA-2048 metadata signer for RS256 MDS3 BLOBs, issued directly by softkey's root: the
 * algorithm the FIDO Alliance's own BLOB uses, and the one every RP library verifies correctly
 * (Yubico java-webauthn-server 2.9.0's FidoMetadataDownloader checks an ES256 BLOB with
 * "SHA256withECDSA", i.e. expects a DER signature where RFC 7518 section 3.4 puts raw r||s, so an
 * ES256 BLOB that webauthn4j accepts Yubico rejects, and the other way round).
 *
 * <p>Kept in the CA's store under {@value #STORE_KEY} as a CBOR map {1: version 1, 2: the RSA key's
 * compact private encoding (secret), 3: the certificate DER}; reissued when the stored certificate
 * was not issued by the current root. The certificate: C, O softkey, CN "softkey Metadata BLOB
 * Signer RS256"; basicConstraints cA false; keyUsage digitalSignature; 20 years (at most the
 * root's). {@link #toString()} names no secret.
 */
public final class MetadataRsaSigner {
  /** The CA store record. */
  public static final String STORE_KEY = "ca.metadata-signer-rs256";

  static final String COMMON_NAME = "softkey Metadata BLOB Signer RS256";
  private static final long RECORD_VERSION = 1;
  private static final long KEY_VERSION = 1; // version
  private static final long KEY_PRIVATE_KEY = 2; // privateKey
  private static final long KEY_CERTIFICATE = 3; // certificate
  private static final int VALIDITY_YEARS = 20;

  private final CredentialKey key;
  private final Bytes certificate;

  private MetadataRsaSigner(CredentialKey key, Bytes certificate) {
    this.key = key;
    this.certificate = certificate;
  }

  /** The signer certificate, DER. */
  public Bytes certificate() {
    return certificate;
  }

  /** RSASSA-PKCS1-v1_5 with SHA-256 over {@code message}: the RS256 JWS signature (RFC 7518 section 3.3). */
  public Bytes sign(byte[] message) {
    return key.sign(message);
  }

  @Override
  public String toString() {
    return "MetadataRsaSigner";
  }

  /**
   * The signer in {@code store}, or a new one (key from {@code random}, valid from {@code
   * notBefore}) written there atomically when there is none or it was issued by another root.
   */
  static MetadataRsaSigner loadOrIssue(
      DeviceStateStore store, CredentialKey rootKey, X509CertificateHolder root, RandomSource random, Instant notBefore) {
    Bytes record =
        store.update(
            STORE_KEY,
            current -> current.filter(c -> issuedBy(decode(c), root)).orElseGet(() -> issue(rootKey, root, random, notBefore)));
    return decode(record);
  }

  private static boolean issuedBy(MetadataRsaSigner s, X509CertificateHolder root) {
    try {
      X509CertificateHolder cert = new X509CertificateHolder(s.certificate.toArray());
      return cert.getIssuer().equals(root.getSubject())
          && cert.isSignatureValid(new org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder().build(root));
    } catch (Exception e) {
      return false;
    }
  }

  private static Bytes issue(CredentialKey rootKey, X509CertificateHolder root, RandomSource random, Instant notBefore) {
    CredentialKey key = CredentialKey.generate(CoseAlgorithm.RS256, random);
    SubjectPublicKeyInfo spki;
    try {
      spki = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo((RSAKeyParameters) key.publicParameters());
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode the RSA public key", e);
    }
    X500Name subject =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.C, AttestationCa.COUNTRY)
            .addRDN(BCStyle.O, AttestationCa.ORGANIZATION)
            .addRDN(BCStyle.CN, COMMON_NAME)
            .build();
    Instant notAfter = notBefore.atOffset(ZoneOffset.UTC).plusYears(VALIDITY_YEARS).toInstant();
    if (notAfter.isAfter(root.getNotAfter().toInstant())) {
      notAfter = root.getNotAfter().toInstant();
    }
    byte[] serial = random.bytes(16);
    serial[0] = (byte) ((serial[0] & 0x7F) | 0x40);
    X509v3CertificateBuilder b =
        new X509v3CertificateBuilder(root.getSubject(), new BigInteger(1, serial), Date.from(notBefore), Date.from(notAfter), subject, spki);
    BcX509ExtensionUtils ext = new BcX509ExtensionUtils();
    AttestationCa.addExtension(b, Extension.basicConstraints, true, new BasicConstraints(false));
    AttestationCa.addExtension(b, Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    AttestationCa.addExtension(b, Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(spki));
    AttestationCa.addExtension(b, Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(root.getSubjectPublicKeyInfo()));
    X509CertificateHolder cert = b.build(AttestationCa.signer(rootKey));
    Bytes der;
    try {
      der = Bytes.wrap(cert.getEncoded());
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode certificate", e);
    }
    Map<Object, Object> record = new LinkedHashMap<>();
    record.put(KEY_VERSION, RECORD_VERSION);
    record.put(KEY_PRIVATE_KEY, key.privateEncoding());
    record.put(KEY_CERTIFICATE, der);
    return CborEncoder.encodeBytes(record);
  }

  private static MetadataRsaSigner decode(Bytes record) {
    try {
      CborMap m = CborDecoder.decodeMap(record.toArray());
      if (m.longValue(KEY_VERSION) != RECORD_VERSION) {
        throw new IllegalArgumentException("version");
      }
      return new MetadataRsaSigner(CredentialKey.fromPrivateEncoding(CoseAlgorithm.RS256, m.bytes(KEY_PRIVATE_KEY)), m.bytes(KEY_CERTIFICATE));
    } catch (RuntimeException e) {
      throw new CtapException(CtapStatus.CTAP1_ERR_OTHER, "attestation record " + STORE_KEY + ": malformed record");
    }
  }



  /** [signer certificate], the x5c of an RS256 BLOB (the root is the RP's trust anchor). */
  public List<Bytes> chain() {
    return List.of(certificate);
  }
}
