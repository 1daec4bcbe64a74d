package dev.softkey.hybrid.qr;

import dev.softkey.ctap.model.Bytes;
import dev.softkey.hybrid.crypto.HybridException;

/**
 * The decimal encoding of bytes in {@code FIDO:/} URLs (Chromium {@code qr::BytesToDigits} /
 * {@code DigitsToBytes}), which keeps the QR code in numeric mode: each 7-byte chunk, read as a
 * little-endian integer, becomes exactly 17 digits; a final chunk of 1..6 bytes becomes 3, 5, 8,
 * 10, 13 or 15 digits.
 */
public final class DigitCodec {
  private static final int CHUNK_BYTES = 7;
  private static final int CHUNK_DIGITS = 17;
  /** Digits of a partial chunk by its byte count (Chromium's nibble table 0x0fda8530). */
  private static final int[] PARTIAL_DIGITS = {0, 3, 5, 8, 10, 13, 15};

  private DigitCodec() {}

  /** Encodes {@code data} as digits. */
  public static String encode(Bytes data) {
    byte[] b = data.unsafeArray();
    StringBuilder out = new StringBuilder(digitCount(b.length));
    for (int off = 0; off < b.length; off += CHUNK_BYTES) {
      int n = Math.min(CHUNK_BYTES, b.length - off);
      long v = 0;
      for (int i = n - 1; i >= 0; i--) {
        v = (v << 8) | (b[off + i] & 0xFF);
      }
      String digits = Long.toString(v);
      int width = n == CHUNK_BYTES ? CHUNK_DIGITS : PARTIAL_DIGITS[n];
      out.append("0".repeat(width - digits.length())).append(digits);
    }
    return out.toString();
  }

  /** Number of digits {@link #encode} produces for {@code byteCount} bytes. */
  public static int digitCount(int byteCount) {
    return CHUNK_DIGITS * (byteCount / CHUNK_BYTES) + PARTIAL_DIGITS[byteCount % CHUNK_BYTES];
  }

  /**
   * Decodes digits; throws {@link HybridException} on a character other than ASCII 0-9, a final
   * group whose length no byte count produces, or a group whose value does not fit its bytes.
   */
  public static Bytes decode(String digits) {
    for (int i = 0; i < digits.length(); i++) {
      char c = digits.charAt(i);
      if (c < '0' || c > '9') {
        throw new HybridException("QR payload contains a non-digit at " + i);
      }
    }
    int full = digits.length() / CHUNK_DIGITS;
    int rest = digits.length() % CHUNK_DIGITS;
    int restBytes = -1;
    for (int n = 0; n < PARTIAL_DIGITS.length; n++) {
      if (PARTIAL_DIGITS[n] == rest) {
        restBytes = n;
      }
    }
    if (restBytes < 0) {
      throw new HybridException("QR payload has an impossible digit count " + digits.length());
    }
    byte[] out = new byte[full * CHUNK_BYTES + restBytes];
    int pos = 0;
    for (int g = 0; g <= full; g++) {
      int n = g < full ? CHUNK_BYTES : restBytes;
      if (n == 0) {
        break;
      }
      int width = g < full ? CHUNK_DIGITS : rest;
      long v = Long.parseLong(digits.substring(g * CHUNK_DIGITS, g * CHUNK_DIGITS + width));
      if ((v >>> (8 * n)) != 0) {
        throw new HybridException("QR payload digit group out of range");
      }
      for (int i = 0; i < n; i++) {
        out[pos++] = (byte) (v >>> (8 * i));
      }
    }
    return Bytes.wrap(out);
  }
}
