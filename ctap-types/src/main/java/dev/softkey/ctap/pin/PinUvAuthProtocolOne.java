package dev.softkey.ctap.pin;

import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import java.util.Arrays;
import java.util.Optional;

/**
 * PIN/UV auth protocol One (CTAP 2.1 section 6.5.6): kdf is SHA-256(Z); encrypt/decrypt are
 * AES-256-CBC with an all-zero IV and no padding; authenticate is the first 16 bytes of
 * HMAC-SHA-256.
 */
public final class PinUvAuthProtocolOne extends AbstractPinUvAuthProtocol {
  public static final int VERSION = 1;
  /** Length of a protocol One pinUvAuthParam. */
  public static final int SIGNATURE_LENGTH = 16;
  private static final byte[] ZERO_IV = new byte[PinCrypto.AES_BLOCK];

  public PinUvAuthProtocolOne(RandomSource random) {
    super(random);
  }

  @Override
  public int version() {
    return VERSION;
  }

  /** kdf(Z): SHA-256(Z). */
  @Override
  Bytes kdf(byte[] z) {
    return Bytes.wrap(PinCrypto.sha256(z));
  }

  /** encrypt(key, demPlaintext): AES-256-CBC(key, IV = 0, demPlaintext). */
  @Override
  public Bytes encrypt(Bytes key, Bytes demPlaintext) {
    return Bytes.wrap(PinCrypto.aes256Cbc(true, key.unsafeArray(), ZERO_IV, demPlaintext.unsafeArray()));
  }

  /** decrypt(key, demCiphertext): error unless the ciphertext is a whole number of AES blocks. */
  @Override
  public Optional<Bytes> decrypt(Bytes key, Bytes demCiphertext) {
    if (demCiphertext.length() % PinCrypto.AES_BLOCK != 0) {
      return Optional.empty();
    }
    return Optional.of(
        Bytes.wrap(PinCrypto.aes256Cbc(false, key.unsafeArray(), ZERO_IV, demCiphertext.unsafeArray())));
  }

  /** authenticate(key, message): LEFT(HMAC-SHA-256(key, message), 16). */
  @Override
  public Bytes authenticate(Bytes key, byte[] message) {
    return Bytes.wrap(mac(key, message));
  }

  /** verify(key, message, signature): signature is 16 bytes and equals authenticate(key, message). */
  @Override
  public boolean verify(Bytes key, byte[] message, Bytes signature) {
    return signature.length() == SIGNATURE_LENGTH && authenticate(key, message).constantTimeEquals(signature);
  }

  public static byte[] mac(Bytes key, byte[] message) {
    return Arrays.copyOf(PinCrypto.hmacSha256(key.unsafeArray(), message), SIGNATURE_LENGTH);
  }
}
