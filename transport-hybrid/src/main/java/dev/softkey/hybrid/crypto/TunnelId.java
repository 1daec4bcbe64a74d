package dev.softkey.hybrid.crypto;

import dev.softkey.ctap.model.Bytes;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The 16-byte tunnel ID that names a tunnel at the tunnel service ({@code Derive(qrSecret, empty,
 * TUNNEL_ID, 16)} in QR-initiated transactions).
 *
 * @param value the 16 bytes
 */
public record TunnelId(Bytes value) {
  public TunnelId {
    if (value.length() != HybridKdf.TUNNEL_ID_LENGTH) {
      throw new HybridException("a tunnel ID is 16 bytes");
    }
  }

  /** Upper-case hex (32 digits), as Chromium writes it in tunnel URLs. */
  public String hex() {
    return value.hex().toUpperCase(Locale.ROOT);
  }

  /** Parses 32 hex digits of either case. */
  public static TunnelId parseHex(String hex) {
    if (hex.length() != 32) {
      throw new HybridException("a tunnel ID is 32 hex digits");
    }
    try {
      return new TunnelId(Bytes.wrap(HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT))));
    } catch (IllegalArgumentException e) {
      throw new HybridException("tunnel ID is not hex", e);
    }
  }
}
