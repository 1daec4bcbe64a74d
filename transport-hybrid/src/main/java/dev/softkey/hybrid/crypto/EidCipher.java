package dev.softkey.hybrid.crypto;

import dev.softkey.ctap.model.Bytes;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encryption of the BLE advertisement (Chromium {@code eid::Encrypt} / {@code eid::Decrypt}):
 * {@code advert = AES-256(eidKey[0..32), plaintext) ‖ HMAC-SHA256(eidKey[32..64), ciphertext)[0..4)},
 * 20 bytes, carried as service data under UUID 0xFFF9.
 */
public final class EidCipher {
  /** Length of the encrypted advertisement. */
  public static final int ADVERT_LENGTH = 20;
  private static final int TAG_LENGTH = 4;

  private final SecretKeySpec aesKey;
  private final SecretKeySpec macKey;

  /** @param eidKey the 64-byte EID key ({@link HybridKdf#eidKey(Bytes)}) */
  public EidCipher(Bytes eidKey) {
    if (eidKey.length() != HybridKdf.EID_KEY_LENGTH) {
      throw new HybridException("an EID key is 64 bytes");
    }
    byte[] k = eidKey.unsafeArray();
    this.aesKey = new SecretKeySpec(k, 0, 32, "AES");
    this.macKey = new SecretKeySpec(k, 32, 32, "HmacSHA256");
  }

  /** The 20-byte advertisement for {@code eid}. */
  public Bytes encrypt(Eid eid) {
    return encryptPlaintext(eid.plaintext());
  }

  /** The 20-byte advertisement for a raw 16-byte plaintext (byte 0 must be zero). */
  public Bytes encryptPlaintext(Bytes plaintext) {
    if (plaintext.length() != Eid.LENGTH) {
      throw new HybridException("an EID plaintext is 16 bytes");
    }
    byte[] out = new byte[ADVERT_LENGTH];
    byte[] block = aes(Cipher.ENCRYPT_MODE, plaintext.unsafeArray());
    System.arraycopy(block, 0, out, 0, Eid.LENGTH);
    System.arraycopy(tag(block), 0, out, Eid.LENGTH, TAG_LENGTH);
    return Bytes.wrap(out);
  }

  /**
   * Trial decryption of a service-data value: the first 20 bytes are the advertisement (a CTAP
   * 2.3 advertisement may append a suffix; Chromium's reader takes exactly 20). Empty when the
   * value is shorter, the tag does not match (another session's advert), the reserved byte is set
   * or the tunnel-service identifier is reserved.
   */
  public Optional<Eid> trialDecrypt(Bytes serviceData) {
    return trialDecryptPlaintext(serviceData).flatMap(Eid::parse);
  }

  /**
   * Like {@link #trialDecrypt} but returns the raw 16-byte plaintext after checking only the tag
   * and the reserved byte (the PSK salt is this plaintext).
   */
  public Optional<Bytes> trialDecryptPlaintext(Bytes serviceData) {
    if (serviceData.length() < ADVERT_LENGTH) {
      return Optional.empty();
    }
    byte[] advert = serviceData.unsafeArray();
    byte[] ciphertext = Arrays.copyOfRange(advert, 0, Eid.LENGTH);
    byte[] expected = Arrays.copyOf(tag(ciphertext), TAG_LENGTH);
    byte[] actual = Arrays.copyOfRange(advert, Eid.LENGTH, ADVERT_LENGTH);
    if (!java.security.MessageDigest.isEqual(expected, actual)) {
      return Optional.empty();
    }
    byte[] plaintext = aes(Cipher.DECRYPT_MODE, ciphertext);
    if (plaintext[0] != 0) {
      return Optional.empty();
    }
    return Optional.of(Bytes.wrap(plaintext));
  }

  private byte[] aes(int mode, byte[] block) {
    try {
      Cipher c = Cipher.getInstance("AES/ECB/NoPadding");
      c.init(mode, aesKey);
      return c.doFinal(block);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256 single-block operation failed", e);
    }
  }

  private byte[] tag(byte[] ciphertext) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(macKey);
      return Arrays.copyOf(mac.doFinal(ciphertext), TAG_LENGTH);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 failed", e);
    }
  }

  @Override
  public String toString() {
    return "EidCipher[]";
  }
}
