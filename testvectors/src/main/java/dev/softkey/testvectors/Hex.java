package dev.softkey.testvectors;

import java.util.HexFormat;

/** Hex helpers for vector files: lower-case, no separators; whitespace inside the text is ignored. */
public final class Hex {
  private static final HexFormat HEX = HexFormat.of();

  private Hex() {}

  /** Decodes hex digits (either case; spaces and tabs are skipped) to a fresh array. */
  public static byte[] decode(String hex) {
    String digits = hex.replaceAll("\\s+", "");
    try {
      return HEX.parseHex(digits);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not an even-length hex string: '" + hex + "'", e);
    }
  }

  /** Encodes bytes as lower-case hex. */
  public static String encode(byte[] bytes) {
    return HEX.formatHex(bytes);
  }
}
