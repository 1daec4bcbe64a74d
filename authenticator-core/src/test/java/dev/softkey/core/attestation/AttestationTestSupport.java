package dev.softkey.core.attestation;

import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.core.crypto.CredentialKey;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.testing.CoseKeys;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

/** Fixtures and JCA helpers: verification goes through the JDK, not through the code under test. */
final class AttestationTestSupport {
  static final Instant NOW = Instant.parse("2026-03-01T12:34:56.789Z");
  static final Clock FIXED_CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private AttestationTestSupport() {}

  static X509Certificate certificate(Bytes der) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der.toArray()));
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  static boolean verify(String jcaAlgorithm, PublicKey key, byte[] message, Bytes signature) {
    try {
      Signature s = Signature.getInstance(jcaAlgorithm);
      s.initVerify(key);
      s.update(message);
      return s.verify(signature.toArray());
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  /** The JCA signature algorithm for a COSE algorithm ID (WebAuthn L3 section 5.8.5). */
  static String jcaSignatureAlgorithm(long coseAlg) {
    return CoseKeys.jcaSignatureAlgorithm(coseAlg);
  }

  /**
   * A JCA public key built from the credential's COSE_Key (RFC 9053 members), not from its private
   * part.
   */
  static PublicKey jcaPublicKey(CredentialKey key) {
    // Round-trip through CBOR so the test sees exactly what an RP would receive.
    try {
      return CoseKeys.toJca(CborDecoder.decodeMap(CborEncoder.encode(key.cosePublicKey())));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** {@code p} with another AAGUID. */
  static Profile withAaguid(Profile p, UUID aaguid) {
    return p.toBuilder().aaguid(aaguid).build();
  }
}
