package dev.softkey.core.testing;

import dev.softkey.ctap.cbor.CborMap;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;

/** COSE_Key to JDK keys and signature checks, with the JDK's own providers (an independent check of ours). */
public final class CoseKeys {
  private CoseKeys() {}

  public static PublicKey toJca(CborMap cose) throws Exception {
    long kty = cose.longValue(1);
    if (kty == 2) {
      String curve = cose.longValue(-1) == 1 ? "secp256r1" : "secp384r1";
      AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
      params.init(new ECGenParameterSpec(curve));
      ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
      ECPoint w = new ECPoint(new BigInteger(1, cose.bytes(-2).toArray()), new BigInteger(1, cose.bytes(-3).toArray()));
      return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, spec));
    }
    if (kty == 1) {
      byte[] prefix = java.util.HexFormat.of().parseHex("302a300506032b6570032100");
      byte[] x = cose.bytes(-2).toArray();
      byte[] der = new byte[prefix.length + x.length];
      System.arraycopy(prefix, 0, der, 0, prefix.length);
      System.arraycopy(x, 0, der, prefix.length, x.length);
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    }
    if (kty == 3) {
      return KeyFactory.getInstance("RSA")
          .generatePublic(new RSAPublicKeySpec(new BigInteger(1, cose.bytes(-1).toArray()), new BigInteger(1, cose.bytes(-2).toArray())));
    }
    throw new IllegalArgumentException("kty " + kty);
  }

  /** The JCA signature algorithm for a COSE algorithm ID (WebAuthn L3 section 5.8.5). */
  public static String jcaSignatureAlgorithm(long coseAlg) {
    return switch ((int) coseAlg) {
      case -7 -> "SHA256withECDSA";
      case -35 -> "SHA384withECDSA";
      case -8 -> "Ed25519";
      case -257 -> "SHA256withRSA";
      default -> throw new IllegalArgumentException("unexpected alg " + coseAlg);
    };
  }

  public static boolean verify(CborMap cose, byte[] message, byte[] signature) throws Exception {
    Signature s = Signature.getInstance(jcaSignatureAlgorithm(cose.longValue(3)));
    s.initVerify(toJca(cose));
    s.update(message);
    return s.verify(signature);
  }
}
