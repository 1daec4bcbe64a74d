package dev.softkey.hybrid.crypto;

import dev.softkey.ctap.model.Bytes;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECPoint;

/**
 * A P-256 public key, validated to be a point of the curve other than infinity.
 *
 * @param uncompressed the X9.62 uncompressed encoding {@code 04 ‖ X ‖ Y} (65 bytes), which is the
 *     form in Noise messages and handshake hashes
 */
public record P256PublicKey(Bytes uncompressed) {
  static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256r1");
  static final ECDomainParameters DOMAIN =
      new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());

  /** Length of the uncompressed encoding. */
  public static final int UNCOMPRESSED_LENGTH = 65;
  /** Length of the compressed encoding (QR key 0). */
  public static final int COMPRESSED_LENGTH = 33;

  public P256PublicKey {
    if (uncompressed.length() != UNCOMPRESSED_LENGTH || uncompressed.get(0) != 0x04) {
      throw new HybridException("not an uncompressed P-256 point");
    }
    toPoint(uncompressed);
  }

  /**
   * Decodes an X9.62 point, compressed (33 bytes, {@code 02/03 ‖ X}) or uncompressed (65 bytes);
   * throws {@link HybridException} if it is not a valid curve point.
   */
  public static P256PublicKey fromEncoded(Bytes encoded) {
    if (encoded.length() != COMPRESSED_LENGTH && encoded.length() != UNCOMPRESSED_LENGTH) {
      throw new HybridException("a P-256 point is 33 or 65 bytes, not " + encoded.length());
    }
    return of(toPoint(encoded));
  }

  static P256PublicKey of(ECPoint point) {
    return new P256PublicKey(Bytes.wrap(point.normalize().getEncoded(false)));
  }

  static ECPoint toPoint(Bytes encoded) {
    ECPoint p;
    try {
      // Bouncy Castle's decodePoint checks the point is on the curve (and decompresses 02/03).
      p = CURVE.getCurve().decodePoint(encoded.unsafeArray());
    } catch (IllegalArgumentException e) {
      throw new HybridException("invalid P-256 point", e);
    }
    if (p.isInfinity() || !p.isValid()) {
      throw new HybridException("invalid P-256 point");
    }
    return p;
  }

  ECPoint point() {
    return toPoint(uncompressed);
  }

  /** The X9.62 compressed encoding {@code 02/03 ‖ X} (33 bytes), as QR key 0 carries it. */
  public Bytes compressed() {
    return Bytes.wrap(point().getEncoded(true));
  }
}
