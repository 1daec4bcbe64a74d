package dev.softkey.hybrid.crypto;

import dev.softkey.ctap.model.Bytes;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The 3-byte routing ID a tunnel service hands the authenticator in the {@code
 * X-caBLE-Routing-ID} response header; it travels to the initiator inside the EID.
 *
 * @param value the 3 bytes
 */
public record RoutingId(Bytes value) {
  /** Length in bytes. */
  public static final int LENGTH = 3;

  public RoutingId {
    if (value.length() != LENGTH) {
      throw new HybridException("a routing ID is 3 bytes");
    }
  }

  /** Upper-case hex (6 digits), as Chromium writes it in {@code /cable/connect/} URLs. */
  public String hex() {
    return value.hex().toUpperCase(Locale.ROOT);
  }

  /** Parses 6 hex digits of either case (the header value, or a URL path segment). */
  public static RoutingId parseHex(String hex) {
    String h = hex.trim();
    if (h.length() != 2 * LENGTH) {
      throw new HybridException("a routing ID is 6 hex digits");
    }
    try {
      return new RoutingId(Bytes.wrap(HexFormat.of().parseHex(h.toLowerCase(Locale.ROOT))));
    } catch (IllegalArgumentException e) {
      throw new HybridException("routing ID is not hex", e);
    }
  }
}
