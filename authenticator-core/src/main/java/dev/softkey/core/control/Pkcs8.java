package dev.softkey.core.control;

import dev.softkey.core.crypto.CredentialKey;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.ctap.model.Bytes;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.util.Arrays;
import java.util.Objects;

/**
 * PKCS#8 (RFC 5208) private keys to and from the compact encoding the engine seals and stores
 * ({@link CredentialKey#privateEncoding()}), for WebDriver's Credential Parameters (WebAuthn L3
 * section 11.4: privateKey is the base64url PKCS#8 of the key) and the control API. ES256 is an EC
 * P-256 key as Chrome exports it (the ECPrivateKey with or without its public key), ES384 P-384,
 * EdDSA an Ed25519 key as RFC 8410 writes it, RS256 a 2048-bit RSA key with e = 65537 (the only
 * RSA keys softkey signs with: its compact form is the primes p and q). The JDK's key factories
 * read and write the DER; nothing here logs or prints key material.
 */
public final class Pkcs8 {
  private static final BigInteger RSA_E = BigInteger.valueOf(65537);

  private Pkcs8() {}

  /**
   * A decoded PKCS#8 key.
   *
   * @param algorithm the COSE algorithm the key signs with
   * @param privateKey the compact private encoding (secret)
   */
  public record Decoded(CoseAlgorithm algorithm, Bytes privateKey) {
    @Override
    public String toString() {
      return "Pkcs8.Decoded[" + algorithm + "]";
    }
  }

  /** The PKCS#8 DER of a compact private key; IllegalArgumentException if the key is malformed. */
  public static Bytes encode(CoseAlgorithm alg, Bytes compact) {
    Objects.requireNonNull(alg);
    // Validates the encoding (length, range) the way the engine will read it.
    CredentialKey.fromPrivateEncoding(alg, compact);
    byte[] b = compact.unsafeArray();
    try {
      PrivateKey key =
          switch (alg) {
            case ES256, ES384 -> KeyFactory.getInstance("EC")
                .generatePrivate(new ECPrivateKeySpec(new BigInteger(1, b), curve(alg == CoseAlgorithm.ES256 ? "secp256r1" : "secp384r1")));
            case EDDSA -> KeyFactory.getInstance("Ed25519")
                .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, Arrays.copyOfRange(b, 0, 32)));
            case RS256 -> {
              BigInteger p = new BigInteger(1, Arrays.copyOfRange(b, 0, 128));
              BigInteger q = new BigInteger(1, Arrays.copyOfRange(b, 128, 256));
              BigInteger pm1 = p.subtract(BigInteger.ONE);
              BigInteger qm1 = q.subtract(BigInteger.ONE);
              BigInteger lambda = pm1.multiply(qm1).divide(pm1.gcd(qm1));
              BigInteger d = RSA_E.modInverse(lambda);
              yield KeyFactory.getInstance("RSA")
                  .generatePrivate(
                      new RSAPrivateCrtKeySpec(p.multiply(q), RSA_E, d, p, q, d.mod(pm1), d.mod(qm1), q.modInverse(p)));
            }
          };
      return Bytes.wrap(key.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the key cannot be encoded as PKCS#8 (" + e.getClass().getSimpleName() + ")");
    }
  }

  /**
   * Reads a PKCS#8 private key: EC P-256 (ES256), EC P-384 (ES384), Ed25519 (EdDSA), RSA 2048 with
   * e = 65537 (RS256). IllegalArgumentException for anything else; the message never carries key
   * material.
   */
  public static Decoded decode(Bytes pkcs8) {
    byte[] der = pkcs8.unsafeArray();
    for (String kind : new String[] {"EC", "Ed25519", "RSA"}) {
      PrivateKey key;
      try {
        key = KeyFactory.getInstance(kind).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException | RuntimeException e) {
        continue;
      }
      Decoded d = fromJca(key);
      // The engine reads it back (scalar range, lengths) before anyone stores it.
      CredentialKey.fromPrivateEncoding(d.algorithm(), d.privateKey());
      return d;
    }
    throw new IllegalArgumentException("privateKey is not a PKCS#8 EC P-256/P-384, Ed25519 or RSA key");
  }

  private static Decoded fromJca(PrivateKey key) {
    if (key instanceof ECPrivateKey ec) {
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      ECParameterSpec p256 = curve("secp256r1");
      ECParameterSpec p384 = curve("secp384r1");
      if (bits == 256 && sameCurve(ec.getParams(), p256)) {
        return new Decoded(CoseAlgorithm.ES256, Bytes.wrap(unsigned(ec.getS(), 32)));
      }
      if (bits == 384 && sameCurve(ec.getParams(), p384)) {
        return new Decoded(CoseAlgorithm.ES384, Bytes.wrap(unsigned(ec.getS(), 48)));
      }
      throw new IllegalArgumentException("an EC key must be on P-256 (ES256) or P-384 (ES384)");
    }
    if (key instanceof EdECPrivateKey ed) {
      if (!"Ed25519".equalsIgnoreCase(ed.getParams().getName())) {
        throw new IllegalArgumentException("an EdDSA key must be Ed25519");
      }
      byte[] seed = ed.getBytes().orElseThrow(() -> new IllegalArgumentException("Ed25519 key without its private bytes"));
      return new Decoded(CoseAlgorithm.EDDSA, Bytes.wrap(seed));
    }
    if (key instanceof RSAPrivateCrtKey rsa) {
      if (!rsa.getPublicExponent().equals(RSA_E) || rsa.getModulus().bitLength() != 2048) {
        throw new IllegalArgumentException("an RSA key must be 2048 bits with e = 65537");
      }
      byte[] p = unsigned(rsa.getPrimeP(), 128);
      byte[] q = unsigned(rsa.getPrimeQ(), 128);
      byte[] enc = new byte[256];
      System.arraycopy(p, 0, enc, 0, 128);
      System.arraycopy(q, 0, enc, 128, 128);
      return new Decoded(CoseAlgorithm.RS256, Bytes.wrap(enc));
    }
    throw new IllegalArgumentException("unsupported private key type");
  }

  private static boolean sameCurve(ECParameterSpec a, ECParameterSpec b) {
    return a.getCurve().equals(b.getCurve()) && a.getGenerator().equals(b.getGenerator()) && a.getOrder().equals(b.getOrder());
  }

  private static ECParameterSpec curve(String name) {
    try {
      AlgorithmParameters ap = AlgorithmParameters.getInstance("EC");
      ap.init(new ECGenParameterSpec(name));
      return ap.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("curve " + name + " unavailable", e);
    }
  }

  private static byte[] unsigned(BigInteger v, int len) {
    byte[] raw = v.toByteArray();
    if (raw.length == len) {
      return raw;
    }
    if (raw.length == len + 1 && raw[0] == 0) {
      return Arrays.copyOfRange(raw, 1, raw.length);
    }
    if (raw.length < len) {
      byte[] out = new byte[len];
      System.arraycopy(raw, 0, out, len - raw.length, raw.length);
      return out;
    }
    throw new IllegalArgumentException("key component too long");
  }
}
