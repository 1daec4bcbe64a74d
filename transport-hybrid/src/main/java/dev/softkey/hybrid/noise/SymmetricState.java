package dev.softkey.hybrid.noise;

import dev.softkey.ctap.model.Bytes;
import dev.softkey.hybrid.crypto.HybridException;
import dev.softkey.hybrid.crypto.HybridKdf;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Noise SymmetricState (Noise section 5.2) as Chromium's {@code Noise} class implements it:
 * SHA-256, HKDF with salt = ck, AES-256-GCM with the handshake nonce {@code BE32(n) ‖ 8 zero
 * bytes}.
 */
final class SymmetricState {
  private byte[] ck;
  private byte[] h;
  private byte[] k;
  private int n;

  SymmetricState(HandshakePattern pattern) {
    this.h = pattern.initialHash();
    this.ck = h.clone();
  }

  /** h = SHA-256(h ‖ data). */
  void mixHash(byte[] data) {
    MessageDigest d = sha256();
    d.update(h);
    d.update(data);
    h = d.digest();
  }

  /** (ck, k) = HKDF(ck, ikm, 2); n = 0. */
  void mixKey(byte[] ikm) {
    byte[] out = hkdf(ikm, 64);
    ck = Arrays.copyOfRange(out, 0, 32);
    k = Arrays.copyOfRange(out, 32, 64);
    n = 0;
  }

  /** (ck, t, k) = HKDF(ck, ikm, 3); MixHash(t); n = 0. */
  void mixKeyAndHash(byte[] ikm) {
    byte[] out = hkdf(ikm, 96);
    ck = Arrays.copyOfRange(out, 0, 32);
    mixHash(Arrays.copyOfRange(out, 32, 64));
    k = Arrays.copyOfRange(out, 64, 96);
    n = 0;
  }

  /** c = AES-GCM(k, n, AD = h, plaintext); MixHash(c); n++. */
  byte[] encryptAndHash(byte[] plaintext) {
    byte[] c = gcm(Cipher.ENCRYPT_MODE, plaintext);
    mixHash(c);
    n++;
    return c;
  }

  /** Mirrors {@link #encryptAndHash}; throws {@link HybridException} when the tag does not verify. */
  byte[] decryptAndHash(byte[] ciphertext) {
    byte[] p = gcm(Cipher.DECRYPT_MODE, ciphertext);
    mixHash(ciphertext);
    n++;
    return p;
  }

  /** (k1, k2) = HKDF(ck, empty, 2): k1 protects initiator → authenticator, k2 the reverse. */
  byte[][] split() {
    byte[] out = hkdf(new byte[0], 64);
    return new byte[][] {Arrays.copyOfRange(out, 0, 32), Arrays.copyOfRange(out, 32, 64)};
  }

  Bytes handshakeHash() {
    return Bytes.of(h);
  }

  private byte[] hkdf(byte[] ikm, int length) {
    return HybridKdf.hkdf(Bytes.wrap(ikm), Bytes.wrap(ck), Bytes.EMPTY, length).unsafeArray();
  }

  private byte[] gcm(int mode, byte[] input) {
    if (k == null) {
      throw new IllegalStateException("no handshake key yet");
    }
    // Chromium's handshake nonce: the big-endian counter in bytes 0..3 (n is always 0 here).
    byte[] nonce = new byte[12];
    nonce[0] = (byte) (n >>> 24);
    nonce[1] = (byte) (n >>> 16);
    nonce[2] = (byte) (n >>> 8);
    nonce[3] = (byte) n;
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(mode, new SecretKeySpec(k, "AES"), new GCMParameterSpec(128, nonce));
      c.updateAAD(h);
      return c.doFinal(input);
    } catch (AEADBadTagException e) {
      throw new HybridException("handshake message failed authentication");
    } catch (GeneralSecurityException e) {
      if (mode == Cipher.DECRYPT_MODE) {
        throw new HybridException("handshake message failed authentication");
      }
      throw new IllegalStateException("AES-GCM failed", e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is a required JCA algorithm", e);
    }
  }
}
