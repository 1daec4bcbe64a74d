package dev.softkey.core.testing;

import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.model.Bytes;
import java.security.PublicKey;

/**
 * Test shorthands over ctap-types' {@link dev.softkey.ctap.cose.CoseKeys}: a COSE_Key that cannot
 * be turned into a JDK key, or an algorithm without a JDK signature, fails the test.
 */
public final class CoseKeys {
  private CoseKeys() {}

  public static PublicKey toJca(CborMap cose) {
    return dev.softkey.ctap.cose.CoseKeys.toPublicKey(cose)
        .orElseThrow(() -> new IllegalArgumentException("COSE_Key not convertible: " + cose));
  }

  /** The JCA signature algorithm for a COSE algorithm ID (WebAuthn L3 section 5.8.5). */
  public static String jcaSignatureAlgorithm(long coseAlg) {
    return dev.softkey.ctap.cose.CoseKeys.jcaSignatureAlgorithm(coseAlg)
        .orElseThrow(() -> new IllegalArgumentException("unexpected alg " + coseAlg));
  }

  public static boolean verify(CborMap cose, byte[] message, byte[] signature) {
    return dev.softkey.ctap.cose.CoseKeys.verify(toJca(cose), cose.longValue(3), Bytes.wrap(message), Bytes.wrap(signature));
  }
}
