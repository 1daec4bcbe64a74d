package dev.softkey.hybrid.session;

import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.hybrid.crypto.HybridException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What travels inside the encrypted tunnel after the handshake (hybrid notes section 7, revision
 * 1): the post-handshake map {1: getInfo, 3: ["ctap"]}, then messages whose first byte is the type.
 */
final class Messages {
  static final int SHUTDOWN = 0;
  static final int CTAP = 1;
  static final int UPDATE = 2;

  private Messages() {}

  static Bytes postHandshake(Bytes getInfoMap) {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(1L, getInfoMap);
    m.put(3L, List.of("ctap"));
    return CborEncoder.encodeBytes(m);
  }

  /** The getInfo map bytes of a post-handshake message. */
  static Bytes parsePostHandshake(Bytes plaintext) {
    try {
      CborMap m = CborDecoder.decodeMap(plaintext.toArray());
      List<Object> features = m.optList(3).orElse(List.of("ctap"));
      if (!features.contains("ctap")) {
        throw new HybridException("the authenticator does not offer CTAP over this tunnel");
      }
      return m.bytes(1);
    } catch (CtapException e) {
      throw new HybridException("malformed post-handshake message: " + e.status().name());
    }
  }

  static Bytes typed(int type, Bytes payload) {
    byte[] out = new byte[payload.length() + 1];
    out[0] = (byte) type;
    System.arraycopy(payload.unsafeArray(), 0, out, 1, payload.length());
    return Bytes.wrap(out);
  }

  /** An update message carrying linking information (key 1). */
  static Bytes update(Map<Object, Object> linking) {
    return typed(UPDATE, CborEncoder.encodeBytes(Map.of(1L, linking)));
  }

  static Optional<CborMap> linkingOf(Bytes updatePayload) {
    try {
      return CborDecoder.decodeMap(updatePayload.toArray()).optMap(1);
    } catch (CtapException e) {
      return Optional.empty();
    }
  }
}
