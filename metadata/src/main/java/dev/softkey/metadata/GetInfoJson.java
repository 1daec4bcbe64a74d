package dev.softkey.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.GetInfoResponse;
import dev.softkey.ctap.model.Bytes;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * An authenticatorGetInfo response (CTAP 2.1 section 6.4) as the JSON object of a metadata
 * statement's {@code authenticatorGetInfo} member (FIDO Metadata Statement 3.0 section 4): each
 * member under its CTAP name, in the CBOR key order, {@code aaguid} as 32 lower-case hex digits,
 * {@code algorithms} as {@code {"type", "alg"}} objects. Two names differ from CTAP's, as the FIDO
 * MDS writes them (and as Yubico's and webauthn4j's metadata types read them): {@code
 * preferredPlatformUvAttempts}. {@code encIdentifier} is left out: it is a per-device secret-derived
 * value, not a property of the model.
 */
public final class GetInfoJson {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** MDS spellings that differ from {@link GetInfoResponse#MEMBER_NAMES}. */
  private static final Map<String, String> MDS_NAMES = Map.of("preferredPlatformUVAttempts", "preferredPlatformUvAttempts");

  private GetInfoJson() {}

  /** The JSON of the getInfo response body {@code cbor} (without the status byte). */
  public static ObjectNode fromCbor(byte[] cbor) {
    CborMap map = CborDecoder.decodeMap(cbor);
    ObjectNode out = JSON.objectNode();
    for (Map.Entry<Object, Object> e : map.asMap().entrySet()) {
      if (!(e.getKey() instanceof Long key)) {
        throw new IllegalArgumentException("getInfo member key " + e.getKey() + " is not an integer");
      }
      if (key == GetInfoResponse.ENC_IDENTIFIER) {
        continue;
      }
      String name = GetInfoResponse.MEMBER_NAMES.get(key);
      if (name == null) {
        throw new IllegalArgumentException("getInfo member 0x" + Long.toHexString(key) + " has no MDS name");
      }
      name = MDS_NAMES.getOrDefault(name, name);
      if (key == GetInfoResponse.AAGUID) {
        out.put(name, HexFormat.of().formatHex(((Bytes) e.getValue()).toArray()));
      } else {
        out.set(name, value(e.getValue()));
      }
    }
    return out;
  }

  private static JsonNode value(Object v) {
    if (v instanceof Boolean b) {
      return JSON.booleanNode(b);
    }
    if (v instanceof Long l) {
      return JSON.numberNode(l);
    }
    if (v instanceof Integer i) {
      return JSON.numberNode(i);
    }
    if (v instanceof String s) {
      return JSON.textNode(s);
    }
    if (v instanceof Bytes b) {
      return JSON.textNode(HexFormat.of().formatHex(b.toArray()));
    }
    if (v instanceof List<?> list) {
      ArrayNode a = JSON.arrayNode();
      list.forEach(x -> a.add(value(x)));
      return a;
    }
    if (v instanceof Map<?, ?> m) {
      ObjectNode o = JSON.objectNode();
      // algorithms entries: "type" before "alg", as the MDS writes them.
      if (m.containsKey("type") && m.containsKey("alg")) {
        o.set("type", value(m.get("type")));
        o.set("alg", value(m.get("alg")));
      }
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String k = String.valueOf(e.getKey());
        if (!o.has(k)) {
          o.set(k, value(e.getValue()));
        }
      }
      return o;
    }
    if (v instanceof CborMap cm) {
      return value(cm.asMap());
    }
    throw new IllegalArgumentException("getInfo value of type " + v.getClass().getSimpleName() + " has no JSON form");
  }
}
