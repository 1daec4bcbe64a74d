package dev.softkey.ctap.cose;

import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.model.Bytes;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Optional;

/**
 * COSE_Key (RFC 9052 section 7, RFC 9053) to JDK public keys, for the publicKey member of
 * AuthenticatorAttestationResponseJSON (a DER SubjectPublicKeyInfo, WebAuthn L3 section 5.2.1) and
 * for checking signatures with the JDK alone. Supported: EC2 on P-256/P-384/P-521, OKP Ed25519,
 * RSA.
 */
public final class CoseKeys {
  /** SubjectPublicKeyInfo prefix for Ed25519 (RFC 8410 section 4): SEQUENCE, id-Ed25519, BIT STRING. */
  private static final Bytes ED25519_SPKI_PREFIX = Bytes.fromHex("302a300506032b6570032100");

  private CoseKeys() {}

  /** The COSE "alg" (label 3) of the key, if present. */
  public static Optional<Long> algorithm(CborMap coseKey) {
    try {
      return coseKey.optLong(3L);
    } catch (CtapException e) {
      return Optional.empty();
    }
  }

  /** The key as a JDK PublicKey, or empty for key types and curves softkey cannot encode. */
  public static Optional<PublicKey> toPublicKey(CborMap k) {
    try {
      long kty = k.longValue(1L);
      if (kty == 2) {
        String curve =
            switch ((int) k.longValue(-1L)) {
              case 1 -> "secp256r1";
              case 2 -> "secp384r1";
              case 3 -> "secp521r1";
              default -> null;
            };
        if (curve == null) {
          return Optional.empty();
        }
        AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
        p.init(new ECGenParameterSpec(curve));
        ECParameterSpec spec = p.getParameterSpec(ECParameterSpec.class);
        ECPoint w =
            new ECPoint(
                new BigInteger(1, k.bytes(-2L).unsafeArray()), new BigInteger(1, k.bytes(-3L).unsafeArray()));
        return Optional.of(KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, spec)));
      }
      if (kty == 1) {
        if (k.longValue(-1L) != 6) {
          return Optional.empty();
        }
        Bytes x = k.bytes(-2L);
        if (x.length() != 32) {
          return Optional.empty();
        }
        return Optional.of(
            KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(Bytes.concat(ED25519_SPKI_PREFIX, x).toArray())));
      }
      if (kty == 3) {
        return Optional.of(
            KeyFactory.getInstance("RSA")
                .generatePublic(
                    new RSAPublicKeySpec(
                        new BigInteger(1, k.bytes(-1L).unsafeArray()), new BigInteger(1, k.bytes(-2L).unsafeArray()))));
      }
      return Optional.empty();
    } catch (GeneralSecurityException | CtapException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The DER SubjectPublicKeyInfo of the key, or empty when {@link #toPublicKey} is. */
  public static Optional<Bytes> subjectPublicKeyInfo(CborMap coseKey) {
    return toPublicKey(coseKey).map(pk -> Bytes.wrap(pk.getEncoded()));
  }

  /** The JCA signature algorithm for a COSE algorithm identifier, or empty if unknown. */
  public static Optional<String> jcaSignatureAlgorithm(long coseAlg) {
    return Optional.ofNullable(
        switch ((int) coseAlg) {
          case -7 -> "SHA256withECDSA";
          case -35 -> "SHA384withECDSA";
          case -36 -> "SHA512withECDSA";
          case -8 -> "Ed25519";
          case -257 -> "SHA256withRSA";
          default -> null;
        });
  }

  /** Verifies a WebAuthn signature (DER ECDSA, raw EdDSA, PKCS#1 v1.5) with the JDK. */
  public static boolean verify(PublicKey key, long coseAlg, Bytes message, Bytes signature) {
    Optional<String> jca = jcaSignatureAlgorithm(coseAlg);
    if (jca.isEmpty()) {
      return false;
    }
    try {
      Signature s = Signature.getInstance(jca.get());
      s.initVerify(key);
      s.update(message.unsafeArray());
      return s.verify(signature.unsafeArray());
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
