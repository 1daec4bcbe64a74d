package dev.softkey.core.attestation;

import dev.softkey.core.crypto.CredentialKey;
import dev.softkey.ctap.model.Bytes;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;

/**
 * A TLS server certificate issued by softkey's attestation root, for {@code softkey mds serve
 * --tls}: an RP that trusts the root for attestation can fetch the metadata BLOB over HTTPS without
 * another trust anchor. The key is a fresh P-256 key from the platform's SecureRandom (not the
 * CA's RandomSource, so that serving does not shift a seeded CA's sequence) and is never stored;
 * the certificate (RFC 5280: subjectAltName with each host as dNSName or iPAddress, extKeyUsage
 * serverAuth, keyUsage digitalSignature, 30 days) is reissued each time. {@link #toString()} names
 * no secret.
 */
public final class TlsServerCertificate {
  static final Duration VALIDITY = Duration.ofDays(30);

  private final PrivateKey privateKey;
  private final List<Bytes> chain;

  private TlsServerCertificate(PrivateKey privateKey, List<Bytes> chain) {
    this.privateKey = privateKey;
    this.chain = List.copyOf(chain);
  }

  /** The server's private key (EC P-256), for a KeyManager. */
  public PrivateKey privateKey() {
    return privateKey;
  }

  /** [server certificate, root], DER. */
  public List<Bytes> chain() {
    return chain;
  }

  @Override
  public String toString() {
    return "TlsServerCertificate";
  }

  static TlsServerCertificate issue(CredentialKey issuerKey, X509CertificateHolder issuer, List<String> hosts, Clock clock) {
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("a TLS server certificate needs at least one host");
    }
    try {
      SecureRandom random = new SecureRandom();
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), random);
      KeyPair kp = g.generateKeyPair();
      SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(kp.getPublic().getEncoded());
      X500Name subject =
          new X500NameBuilder(BCStyle.INSTANCE)
              .addRDN(BCStyle.C, AttestationCa.COUNTRY)
              .addRDN(BCStyle.O, AttestationCa.ORGANIZATION)
              .addRDN(BCStyle.CN, hosts.get(0))
              .build();
      Instant notBefore = clock.instant().truncatedTo(ChronoUnit.SECONDS).minus(AttestationCa.BACKDATE);
      Instant notAfter = clock.instant().truncatedTo(ChronoUnit.SECONDS).plus(VALIDITY);
      if (notAfter.isAfter(issuer.getNotAfter().toInstant())) {
        notAfter = issuer.getNotAfter().toInstant();
      }
      byte[] serial = new byte[16];
      random.nextBytes(serial);
      serial[0] = (byte) ((serial[0] & 0x7F) | 0x40);
      X509v3CertificateBuilder b =
          new X509v3CertificateBuilder(
              issuer.getSubject(), new BigInteger(1, serial), Date.from(notBefore), Date.from(notAfter), subject, spki);
      BcX509ExtensionUtils ext = new BcX509ExtensionUtils();
      List<GeneralName> names = new ArrayList<>();
      for (String h : hosts) {
        names.add(isIpLiteral(h) ? new GeneralName(GeneralName.iPAddress, h) : new GeneralName(GeneralName.dNSName, h));
      }
      AttestationCa.addExtension(b, Extension.basicConstraints, true, new BasicConstraints(false));
      AttestationCa.addExtension(b, Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      AttestationCa.addExtension(b, Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      AttestationCa.addExtension(b, Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
      AttestationCa.addExtension(b, Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(spki));
      AttestationCa.addExtension(b, Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuer.getSubjectPublicKeyInfo()));
      X509CertificateHolder cert = b.build(AttestationCa.signer(issuerKey));
      return new TlsServerCertificate(kp.getPrivate(), List.of(Bytes.wrap(cert.getEncoded()), Bytes.wrap(issuer.getEncoded())));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot issue a TLS server certificate", e);
    }
  }

  /** An IPv4 dotted quad or an IPv6 literal (BC's GeneralName parses both into iPAddress). */
  private static boolean isIpLiteral(String host) {
    return host.matches("\\d{1,3}(\\.\\d{1,3}){3}") || host.contains(":");
  }


}
