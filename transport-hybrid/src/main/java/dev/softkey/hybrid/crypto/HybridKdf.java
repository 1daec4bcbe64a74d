package dev.softkey.hybrid.crypto;

import dev.softkey.ctap.model.Bytes;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * The hybrid key derivation (Chromium {@code cablev2::internal::Derive}): HKDF-SHA256 (RFC 5869)
 * with the secret as input keying material, the given salt (empty means HashLen zero bytes) and
 * the purpose as a 4-byte little-endian info.
 */
public final class HybridKdf {
  /** Size of an EID key: an AES-256 key followed by an HMAC-SHA256 key. */
  public static final int EID_KEY_LENGTH = 64;
  /** Size of a tunnel ID. */
  public static final int TUNNEL_ID_LENGTH = 16;
  /** Size of the Noise pre-shared key. */
  public static final int PSK_LENGTH = 32;

  /** The derivation purposes (Chromium {@code DerivedValueType}). */
  public enum Purpose {
    EID_KEY(1),
    TUNNEL_ID(2),
    PSK(3),
    PAIRED_SECRET(4),
    IDENTITY_KEY_SEED(5),
    PER_CONTACT_ID_SECRET(6);

    private final int value;

    Purpose(int value) {
      this.value = value;
    }

    /** The wire value, used as a 4-byte little-endian HKDF info. */
    public int value() {
      return value;
    }

    Bytes info() {
      return Bytes.wrap(new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)});
    }
  }

  private HybridKdf() {}

  /** {@code Derive(secret, salt, purpose, length)}. */
  public static Bytes derive(Bytes secret, Bytes salt, Purpose purpose, int length) {
    return hkdf(secret, salt, purpose.info(), length);
  }

  /** The EID key of a QR-initiated transaction: {@code Derive(qrSecret, empty, EID_KEY, 64)}. */
  public static Bytes eidKey(Bytes qrSecret) {
    return derive(qrSecret, Bytes.EMPTY, Purpose.EID_KEY, EID_KEY_LENGTH);
  }

  /** The EID key of a state-assisted transaction: {@code Derive(linkSecret, clientNonce, EID_KEY, 64)}. */
  public static Bytes eidKey(Bytes linkSecret, Bytes clientNonce) {
    return derive(linkSecret, clientNonce, Purpose.EID_KEY, EID_KEY_LENGTH);
  }

  /** The tunnel ID of a QR-initiated transaction: {@code Derive(qrSecret, empty, TUNNEL_ID, 16)}. */
  public static TunnelId tunnelId(Bytes qrSecret) {
    return new TunnelId(derive(qrSecret, Bytes.EMPTY, Purpose.TUNNEL_ID, TUNNEL_ID_LENGTH));
  }

  /**
   * The Noise PSK: {@code Derive(secret, eidPlaintext, PSK, 32)}, where secret is the QR secret
   * or the link secret and the salt the whole 16-byte decrypted EID.
   */
  public static Bytes psk(Bytes secret, Eid eid) {
    return derive(secret, eid.plaintext(), Purpose.PSK, PSK_LENGTH);
  }

  /**
   * Plain HKDF-SHA256 (extract and expand). An empty or absent salt is HashLen zero bytes, as RFC
   * 5869 section 2.2 says.
   */
  public static Bytes hkdf(Bytes ikm, Bytes salt, Bytes info, int length) {
    HKDFBytesGenerator g = new HKDFBytesGenerator(new SHA256Digest());
    g.init(new HKDFParameters(ikm.unsafeArray(), salt.isEmpty() ? null : salt.unsafeArray(), info.unsafeArray()));
    byte[] out = new byte[length];
    g.generateBytes(out, 0, length);
    return Bytes.wrap(out);
  }
}
