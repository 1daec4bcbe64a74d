package dev.softkey.metadata;

import dev.softkey.core.attestation.AttestationCa;
import dev.softkey.core.attestation.BatchAttestation;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.store.MemoryStore;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** One installation's CA in memory, and the metadata built on it, for the module's tests. */
final class TestInstallation {
  /** 2026-12-02T04:00:00Z: the tests' fixed "now". */
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T04:00:00Z"), ZoneOffset.UTC);

  final MemoryStore caStore = new MemoryStore();
  final AttestationCa ca;
  final Clock clock;

  TestInstallation(long seed) {
    this(seed, CLOCK);
  }

  TestInstallation(long seed, Clock clock) {
    this.clock = clock;
    this.ca = new AttestationCa(caStore, RandomSource.seeded(seed), clock);
  }

  /** The RS256 signer's certificate (the BLOB's x5c[0]). */
  Bytes signerCertificate() {
    return ca.metadataSignerRs256().certificate();
  }

  Jws.Signer rs256() {
    var s = ca.metadataSignerRs256();
    return Jws.Signer.rs256(s::sign, s.chain());
  }

  /** The CA's ES256 metadata signer. */
  Jws.Signer es256() {
    BatchAttestation b = ca.metadataSigner();
    return Jws.Signer.es256(b::sign, ca.metadataSignerChain());
  }

  MetadataBlob blob() {
    return new MetadataBlob(ca.rootCertificate(), rs256(), caStore, clock);
  }

  MetadataBlob blob(Jws.Signer signer) {
    return new MetadataBlob(ca.rootCertificate(), signer, caStore, clock);
  }

  /** The CRLs of the installation's CAs, DER. */
  List<Bytes> crls() {
    return ca.crls();
  }

  dev.softkey.core.profile.Profile profile(String id) {
    return Profiles.builtIn(id).orElseThrow();
  }

  static X509Certificate certificate(Bytes der) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der.toArray()));
    } catch (CertificateException e) {
      throw new AssertionError(e);
    }
  }
}
