package dev.softkey.hybrid.noise;

import dev.softkey.ctap.model.Bytes;
import dev.softkey.hybrid.crypto.HybridException;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The encrypted message layer after the handshake (Chromium {@code cablev2::Crypter}, "new
 * construction"): each plaintext is padded to a multiple of 32 bytes (zero bytes, then one byte
 * counting them), then sealed with AES-256-GCM under the direction's key, empty associated data
 * and the nonce {@code 8 zero bytes ‖ BE32(sequence)}. Sending and receiving keep separate
 * sequence numbers from 0; the receive counter advances only on a message that authenticates, so
 * a replayed, reordered or tampered message fails. This equals a Noise transport CipherState.
 *
 * <p>Not thread-safe for concurrent use of the same direction; the two directions are
 * independent.
 */
public final class Crypter {
  /** Plaintexts are padded to a multiple of this. */
  public static final int PADDING_GRANULARITY = 32;
  /** The largest sequence number used (Chromium refuses to go beyond 2^24 - 1). */
  public static final long MAX_SEQUENCE = (1L << 24) - 1;
  private static final int TAG_LENGTH = 16;

  private final SecretKeySpec readKey;
  private final SecretKeySpec writeKey;
  private long readSequence;
  private long writeSequence;

  /**
   * A crypter from raw traffic keys (the handshake builds them; this constructor exists for known
   * answer tests and for the tunnel's own tests).
   *
   * @param readKey 32-byte key of incoming messages
   * @param writeKey 32-byte key of outgoing messages
   */
  public Crypter(Bytes readKey, Bytes writeKey) {
    if (readKey.length() != 32 || writeKey.length() != 32) {
      throw new HybridException("traffic keys are 32 bytes");
    }
    this.readKey = new SecretKeySpec(readKey.unsafeArray(), "AES");
    this.writeKey = new SecretKeySpec(writeKey.unsafeArray(), "AES");
  }

  /** Pads and encrypts one outgoing message; the result is {@code padded length + 16} bytes. */
  public synchronized Bytes encrypt(Bytes plaintext) {
    if (writeSequence > MAX_SEQUENCE) {
      throw new HybridException("send sequence number exhausted");
    }
    byte[] padded = pad(plaintext.unsafeArray());
    byte[] out = gcm(Cipher.ENCRYPT_MODE, writeKey, writeSequence, padded);
    writeSequence++;
    return Bytes.wrap(out);
  }

  /**
   * Decrypts and unpads one incoming message; throws {@link HybridException} if it does not
   * authenticate under the next receive sequence number or its padding is malformed.
   */
  public synchronized Bytes decrypt(Bytes ciphertext) {
    if (readSequence > MAX_SEQUENCE) {
      throw new HybridException("receive sequence number exhausted");
    }
    if (ciphertext.length() < TAG_LENGTH) {
      throw new HybridException("encrypted message shorter than its tag");
    }
    byte[] padded = gcm(Cipher.DECRYPT_MODE, readKey, readSequence, ciphertext.unsafeArray());
    readSequence++;
    return unpad(padded);
  }

  /** Sequence number of the next outgoing message. */
  public synchronized long sendSequence() {
    return writeSequence;
  }

  /** Sequence number the next incoming message must carry. */
  public synchronized long receiveSequence() {
    return readSequence;
  }

  /** Appends z zero bytes and the byte z so that the length is the next multiple of 32 above it. */
  static byte[] pad(byte[] plaintext) {
    int padded = (plaintext.length + PADDING_GRANULARITY) / PADDING_GRANULARITY * PADDING_GRANULARITY;
    byte[] out = new byte[padded];
    System.arraycopy(plaintext, 0, out, 0, plaintext.length);
    out[padded - 1] = (byte) (padded - plaintext.length - 1);
    return out;
  }

  /** Drops the trailing padding: last byte z, then z more bytes (not checked for zero, as Chromium). */
  static Bytes unpad(byte[] padded) {
    if (padded.length == 0) {
      throw new HybridException("empty padded message");
    }
    int z = padded[padded.length - 1] & 0xFF;
    if (z + 1 > padded.length) {
      throw new HybridException("padding longer than message");
    }
    return Bytes.of(padded, 0, padded.length - z - 1);
  }

  private static byte[] gcm(int mode, SecretKeySpec key, long sequence, byte[] input) {
    byte[] nonce = new byte[12];
    nonce[8] = (byte) (sequence >>> 24);
    nonce[9] = (byte) (sequence >>> 16);
    nonce[10] = (byte) (sequence >>> 8);
    nonce[11] = (byte) sequence;
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(mode, key, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
      return c.doFinal(input);
    } catch (GeneralSecurityException e) {
      if (mode == Cipher.DECRYPT_MODE) {
        throw new HybridException("message failed authentication");
      }
      throw new IllegalStateException("AES-GCM failed", e);
    }
  }

  @Override
  public String toString() {
    return "Crypter[send=" + writeSequence + ", receive=" + readSequence + "]";
  }
}
