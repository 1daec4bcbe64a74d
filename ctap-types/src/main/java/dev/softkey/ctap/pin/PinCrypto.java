package dev.softkey.ctap.pin;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/** The symmetric primitives the PIN/UV auth protocols are built from (JCA, and Bouncy Castle HKDF). */
public final class PinCrypto {
  static final int AES_BLOCK = 16;

  private PinCrypto() {}

  public static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  static byte[] hmacSha256(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA-256 failed", e);
    }
  }

  /** AES-256-CBC without padding; {@code data} must be a whole number of blocks. */
  static byte[] aes256Cbc(boolean encrypt, byte[] key, byte[] iv, byte[] data) {
    if (key.length != 32 || iv.length != AES_BLOCK || data.length % AES_BLOCK != 0) {
      throw new IllegalArgumentException("AES-256-CBC needs a 32-byte key, a 16-byte IV and whole blocks");
    }
    try {
      Cipher c = Cipher.getInstance("AES/CBC/NoPadding");
      c.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
      return c.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-CBC failed", e);
    }
  }

  /** HKDF-SHA-256 (RFC 5869): extract with {@code salt}, expand to {@code length} bytes with {@code info}. */
  static byte[] hkdfSha256(byte[] salt, byte[] ikm, byte[] info, int length) {
    HKDFBytesGenerator g = new HKDFBytesGenerator(new SHA256Digest());
    g.init(new HKDFParameters(ikm, salt, info));
    byte[] out = new byte[length];
    g.generateBytes(out, 0, length);
    return out;
  }
}
