package dev.softkey.core.attestation;

import dev.softkey.core.cbor.CborEncoder;
import dev.softkey.core.crypto.CredentialKey;
import dev.softkey.core.model.Bytes;
import dev.softkey.core.profile.Profile;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
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
    return switch ((int) coseAlg) {
      case -7 -> "SHA256withECDSA";
      case -35 -> "SHA384withECDSA";
      case -8 -> "Ed25519";
      case -257 -> "SHA256withRSA";
      default -> throw new AssertionError("unexpected alg " + coseAlg);
    };
  }

  /**
   * A JCA public key built from the credential's COSE_Key (RFC 9053 members), not from its private
   * part.
   */
  static PublicKey jcaPublicKey(CredentialKey key) {
    // Round-trip through CBOR so the test sees exactly what an RP would receive.
    Map<Object, Object> cose = decodeCose(CborEncoder.encode(key.cosePublicKey()));
    try {
      long kty = (Long) cose.get(1L);
      if (kty == 2) { // EC2
        long crv = (Long) cose.get(-1L);
        AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
        params.init(new ECGenParameterSpec(crv == 1 ? "secp256r1" : "secp384r1"));
        ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
        ECPoint w =
            new ECPoint(
                new BigInteger(1, bytes(cose.get(-2L))), new BigInteger(1, bytes(cose.get(-3L))));
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, spec));
      }
      if (kty == 1) { // OKP, Ed25519: SubjectPublicKeyInfo prefix from RFC 8410 section 10.1
        byte[] prefix = Bytes.fromHex("302a300506032b6570032100").toArray();
        byte[] x = bytes(cose.get(-2L));
        byte[] spki = new byte[prefix.length + x.length];
        System.arraycopy(prefix, 0, spki, 0, prefix.length);
        System.arraycopy(x, 0, spki, prefix.length, x.length);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
      }
      if (kty == 3) { // RSA
        return KeyFactory.getInstance("RSA")
            .generatePublic(
                new RSAPublicKeySpec(
                    new BigInteger(1, bytes(cose.get(-1L))),
                    new BigInteger(1, bytes(cose.get(-2L)))));
      }
      throw new AssertionError("unexpected kty " + kty);
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  private static Map<Object, Object> decodeCose(byte[] cbor) {
    return dev.softkey.core.cbor.CborDecoder.decodeMap(cbor).asMap();
  }

  private static byte[] bytes(Object v) {
    return ((Bytes) v).toArray();
  }

  /** {@code p} with another AAGUID. */
  static Profile withAaguid(Profile p, UUID aaguid) {
    return new Profile(
        p.id(),
        p.description(),
        p.source(),
        aaguid,
        p.versions(),
        p.algorithms(),
        p.pinUvAuthProtocols(),
        p.builtInUv(),
        p.residentKeys(),
        p.maxResidentCredentials(),
        p.maxMsgSize(),
        p.maxCredentialCountInList(),
        p.maxCredentialIdLength(),
        p.minPinLength(),
        p.makeCredUvNotRequired(),
        p.firmwareVersion(),
        p.attestation(),
        p.signCounter(),
        p.backupEligible(),
        p.backupState(),
        p.transports(),
        p.usb());
  }
}
