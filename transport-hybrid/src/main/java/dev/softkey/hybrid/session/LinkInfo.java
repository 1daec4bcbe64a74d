package dev.softkey.hybrid.session;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.hybrid.crypto.HybridException;
import dev.softkey.hybrid.crypto.P256PublicKey;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an initiator keeps after a QR transaction to reach the same phone later without a QR code
 * (hybrid notes sections 7.5 and 8). {@link #toString()} hides the secret.
 *
 * @param tunnelDomainId the tunnel service of the phone
 * @param contactId opaque ID the tunnel service routes to the phone
 * @param linkId 8 bytes naming the link on the phone
 * @param linkSecret 32-byte shared secret (secret)
 * @param authenticatorIdentity the phone's identity public key
 * @param name the phone's display name
 */
public record LinkInfo(int tunnelDomainId, Bytes contactId, Bytes linkId, Bytes linkSecret, P256PublicKey authenticatorIdentity, String name) {
  /** Encodes for storage: {0: domain, 1: contact, 2: link ID, 3: secret, 4: identity, 5: name}. */
  public Bytes encode() {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(0L, (long) tunnelDomainId);
    m.put(1L, contactId);
    m.put(2L, linkId);
    m.put(3L, linkSecret);
    m.put(4L, authenticatorIdentity.uncompressed());
    m.put(5L, name);
    return CborEncoder.encodeBytes(m);
  }

  /**
   * Decodes what {@link #encode()} wrote. Malformed input (not a CBOR map, a member missing or of
   * the wrong type, a tunnel domain outside 0..65535, an invalid point) is a {@link
   * HybridException}, as every other malformed hybrid input; the fuzz target {@code
   * TunnelMessagesFuzzTest.linkInfo} found the CBOR errors escaping as {@code CtapException} and
   * domains above 2^31 truncated by a cast.
   */
  public static LinkInfo decode(Bytes b) {
    try {
      CborMap m = CborDecoder.decodeMap(b.toArray());
      long domain = m.longValue(0);
      if (domain < 0 || domain > 0xFFFF) {
        throw new HybridException("tunnel domain ID out of range 0..65535");
      }
      return new LinkInfo(
          (int) domain, m.bytes(1), m.bytes(2), m.bytes(3), P256PublicKey.fromEncoded(m.bytes(4)), m.text(5));
    } catch (CtapException e) {
      throw new HybridException("malformed linking information: " + e.status().name(), e);
    }
  }

  @Override
  public String toString() {
    return "LinkInfo[" + name + ", linkId=" + linkId.hex() + "]";
  }
}
