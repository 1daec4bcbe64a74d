package dev.softkey.hybrid.crypto;

import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import java.util.Optional;

/**
 * The 16-byte plaintext of a hybrid BLE advertisement (Chromium {@code eid::Components}): byte 0
 * reserved (zero), bytes 1..10 the connection nonce, 11..13 the routing ID, 14..15 the
 * tunnel-service identifier as a little-endian uint16. The whole plaintext is the salt of the PSK
 * derivation. In state-assisted transactions Chromium's phone sends 16 random bytes with byte 0
 * cleared; they parse into the same fields.
 *
 * @param nonce the 10-byte connection nonce
 * @param routingId the routing ID from the tunnel service
 * @param tunnelDomainId the tunnel-service identifier (0..65535)
 */
public record Eid(Bytes nonce, RoutingId routingId, int tunnelDomainId) {
  /** Plaintext length (one AES block). */
  public static final int LENGTH = 16;
  /** Nonce length. */
  public static final int NONCE_LENGTH = 10;

  public Eid {
    if (nonce.length() != NONCE_LENGTH) {
      throw new HybridException("an EID nonce is 10 bytes");
    }
    if (tunnelDomainId < 0 || tunnelDomainId > 0xFFFF) {
      throw new HybridException("tunnel domain ID out of range");
    }
  }

  /** An EID with a fresh random nonce. */
  public static Eid create(RoutingId routingId, int tunnelDomainId, RandomSource random) {
    return new Eid(Bytes.wrap(random.bytes(NONCE_LENGTH)), routingId, tunnelDomainId);
  }

  /** The 16-byte plaintext {@code 00 ‖ nonce ‖ routingId ‖ LE16(tunnelDomainId)}. */
  public Bytes plaintext() {
    byte[] out = new byte[LENGTH];
    System.arraycopy(nonce.unsafeArray(), 0, out, 1, NONCE_LENGTH);
    System.arraycopy(routingId.value().unsafeArray(), 0, out, 11, RoutingId.LENGTH);
    out[14] = (byte) tunnelDomainId;
    out[15] = (byte) (tunnelDomainId >>> 8);
    return Bytes.wrap(out);
  }

  /**
   * Parses a decrypted plaintext; empty if it is not 16 bytes, the reserved byte is not zero, or
   * the tunnel-service identifier names no domain (as Chromium's {@code eid::Decrypt} rejects).
   */
  public static Optional<Eid> parse(Bytes plaintext) {
    if (plaintext.length() != LENGTH || plaintext.get(0) != 0) {
      return Optional.empty();
    }
    int domain = plaintext.get(14) | (plaintext.get(15) << 8);
    if (!TunnelDomain.isValid(domain)) {
      return Optional.empty();
    }
    return Optional.of(
        new Eid(plaintext.slice(1, 11), new RoutingId(plaintext.slice(11, 14)), domain));
  }

  /** The host name the tunnel-service identifier names (empty for reserved values). */
  public Optional<String> tunnelDomain() {
    return TunnelDomain.decode(tunnelDomainId);
  }
}
