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

  BatchAttestation signer() {
    return ca.batch(Profiles.defaultProfile());
  }

  List<Bytes> signerChain() {
    return List.of(signer().certificate());
  }

  MetadataBlob blob() {
    return new MetadataBlob(ca.rootCertificate(), signer(), signerChain(), caStore, clock);
  }

  static X509Certificate certificate(Bytes der) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der.toArray()));
    } catch (CertificateException e) {
      throw new AssertionError(e);
    }
  }
}
