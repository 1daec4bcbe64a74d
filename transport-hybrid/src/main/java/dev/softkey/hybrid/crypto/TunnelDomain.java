package dev.softkey.hybrid.crypto;

import dev.softkey.ctap.model.Bytes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Tunnel-service identifiers (the 16-bit value in EID bytes 14..15) and their host names
 * (Chromium {@code tunnelserver::DecodeDomain}): 0 and 1 are the assigned domains of Google and
 * Apple, 2..255 are reserved for future assignments (invalid today), and every value from 256 up
 * names a hashed domain {@code cable.<base32>.<tld>}. Also builds the tunnel-service paths.
 */
public final class TunnelDomain {
  /** Google's tunnel service, {@code cable.ua5v.com}. */
  public static final int GOOGLE = 0;
  /** Apple's tunnel service, {@code cable.auth.com}. */
  public static final int APPLE = 1;

  /** The assigned domains in identifier order. */
  public static final List<String> ASSIGNED = List.of("cable.ua5v.com", "cable.auth.com");

  /** How many assigned domains this implementation knows (QR key 2). */
  public static final int KNOWN_ASSIGNED_COUNT = ASSIGNED.size();

  private static final byte[] HASH_PREFIX = "caBLEv2 tunnel server domain".getBytes(StandardCharsets.US_ASCII);
  private static final String[] TLDS = {".com", ".org", ".net", ".info"};
  private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

  private TunnelDomain() {}

  /**
   * The host name for {@code id} (0..65535), or empty if {@code id} is an assigned but unknown
   * value (2..255) or out of range.
   */
  public static Optional<String> decode(int id) {
    if (id < 0 || id > 0xFFFF) {
      return Optional.empty();
    }
    if (id < 256) {
      return id < ASSIGNED.size() ? Optional.of(ASSIGNED.get(id)) : Optional.empty();
    }
    // 1. input = "caBLEv2 tunnel server domain" ‖ LE16(id) ‖ 00 (31 bytes)
    byte[] input = new byte[HASH_PREFIX.length + 3];
    System.arraycopy(HASH_PREFIX, 0, input, 0, HASH_PREFIX.length);
    input[HASH_PREFIX.length] = (byte) id;
    input[HASH_PREFIX.length + 1] = (byte) (id >>> 8);
    // 2. v = first 8 bytes of SHA-256(input) as a little-endian uint64
    byte[] digest = sha256(input);
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (digest[i] & 0xFF);
    }
    // 3. the two low bits pick the TLD, the rest is base32, least significant group first
    String tld = TLDS[(int) (v & 3)];
    v >>>= 2;
    StringBuilder name = new StringBuilder("cable.");
    while (v != 0) {
      name.append(BASE32.charAt((int) (v & 31)));
      v >>>= 5;
    }
    return Optional.of(name.append(tld).toString());
  }

  /** Whether {@code id} names a domain (what Chromium's EID decryption requires). */
  public static boolean isValid(int id) {
    return decode(id).isPresent();
  }

  /** Path the authenticator opens for a QR-initiated transaction: {@code /cable/new/<TUNNELID>}. */
  public static String newTunnelPath(TunnelId tunnelId) {
    return "/cable/new/" + tunnelId.hex();
  }

  /** Path the initiator (or a woken authenticator) opens: {@code /cable/connect/<ROUTINGID>/<TUNNELID>}. */
  public static String connectPath(RoutingId routingId, TunnelId tunnelId) {
    return "/cable/connect/" + routingId.hex() + "/" + tunnelId.hex();
  }

  /** Path for a state-assisted transaction: {@code /cable/contact/<base64url(contactId)>}, unpadded. */
  public static String contactPath(Bytes contactId) {
    return "/cable/contact/" + Base64.getUrlEncoder().withoutPadding().encodeToString(contactId.unsafeArray());
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is a required JCA algorithm", e);
    }
  }
}
