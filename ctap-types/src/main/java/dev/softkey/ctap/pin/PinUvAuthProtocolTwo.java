package dev.softkey.ctap.pin;

import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * PIN/UV auth protocol Two (CTAP 2.1 section 6.5.7): kdf is HKDF-SHA-256 with a 32-byte zero salt,
 * giving a 64-byte shared secret (HMAC key with info "CTAP2 HMAC key", then AES key with info "CTAP2
 * AES key"); encrypt is AES-256-CBC under the AES key with a random IV prefixed to the ciphertext;
 * authenticate is the full HMAC-SHA-256 under the HMAC key (the first 32 bytes of the key).
 */
public final class PinUvAuthProtocolTwo extends AbstractPinUvAuthProtocol {
  public static final int VERSION = 2;
  /** Length of a protocol Two pinUvAuthParam. */
  public static final int SIGNATURE_LENGTH = 32;
  static final byte[] HKDF_SALT = new byte[32];
  static final byte[] HMAC_KEY_INFO = "CTAP2 HMAC key".getBytes(StandardCharsets.US_ASCII);
  static final byte[] AES_KEY_INFO = "CTAP2 AES key".getBytes(StandardCharsets.US_ASCII);

  public PinUvAuthProtocolTwo(RandomSource random) {
    super(random);
  }

  @Override
  public int version() {
    return VERSION;
  }

  /** kdf(Z): HKDF-SHA-256(salt, Z, 32, "CTAP2 HMAC key") || HKDF-SHA-256(salt, Z, 32, "CTAP2 AES key"). */
  @Override
  Bytes kdf(byte[] z) {
    return Bytes.wrap(
        concat(
            PinCrypto.hkdfSha256(HKDF_SALT, z, HMAC_KEY_INFO, 32),
            PinCrypto.hkdfSha256(HKDF_SALT, z, AES_KEY_INFO, 32)));
  }

  /** encrypt(key, demPlaintext): iv || AES-256-CBC(LAST 32 bytes of key, iv, demPlaintext), iv random. */
  @Override
  public Bytes encrypt(Bytes key, Bytes demPlaintext) {
    byte[] iv = random.bytes(PinCrypto.AES_BLOCK);
    return Bytes.wrap(concat(iv, PinCrypto.aes256Cbc(true, aesKey(key), iv, demPlaintext.unsafeArray())));
  }

  /**
   * decrypt(key, demCiphertext): error if shorter than one block or not a whole number of blocks
   * after the IV.
   */
  @Override
  public Optional<Bytes> decrypt(Bytes key, Bytes demCiphertext) {
    byte[] c = demCiphertext.unsafeArray();
    if (c.length < PinCrypto.AES_BLOCK || c.length % PinCrypto.AES_BLOCK != 0) {
      return Optional.empty();
    }
    byte[] iv = Arrays.copyOfRange(c, 0, PinCrypto.AES_BLOCK);
    byte[] ct = Arrays.copyOfRange(c, PinCrypto.AES_BLOCK, c.length);
    return Optional.of(Bytes.wrap(PinCrypto.aes256Cbc(false, aesKey(key), iv, ct)));
  }

  /** authenticate(key, message): HMAC-SHA-256 keyed with the first 32 bytes of key. */
  @Override
  public Bytes authenticate(Bytes key, byte[] message) {
    return Bytes.wrap(mac(key, message));
  }

  /**
   * verify(key, message, signature): signature is 32 bytes and equals authenticate(key, message).
   * The step "if key is the current pinUvAuthToken and it is not in use, return error" is {@link
   * ClientPin#verifyToken}'s, which holds the token state.
   */
  @Override
  public boolean verify(Bytes key, byte[] message, Bytes signature) {
    return signature.length() == SIGNATURE_LENGTH && authenticate(key, message).constantTimeEquals(signature);
  }

  public static byte[] mac(Bytes key, byte[] message) {
    byte[] k = key.length() > 32 ? Arrays.copyOf(key.unsafeArray(), 32) : key.unsafeArray();
    return PinCrypto.hmacSha256(k, message);
  }

  private static byte[] aesKey(Bytes key) {
    if (key.length() != 64) {
      throw new IllegalArgumentException("a protocol Two shared secret is 64 bytes");
    }
    return Arrays.copyOfRange(key.unsafeArray(), 32, 64);
  }
}
