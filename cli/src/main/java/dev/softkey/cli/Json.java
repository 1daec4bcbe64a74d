package dev.softkey.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.cbor.CborNull;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.core.profile.Profile;
import dev.softkey.ctap.command.GetInfoResponse;
import dev.softkey.platform.AuthenticatorInfo;
import java.io.PrintStream;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The CLI's JSON: one mapper, pretty printing, and the {@code --json} forms of getInfo and profiles. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static void print(PrintStream out, JsonNode n) {
    try {
      out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(n));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The whole getInfo response as one object: every member under its CTAP name in the order the
   * authenticator sent it (an unknown one under its key, "0x.."), the aaguid as a UUID string,
   * byte strings as hex, maps and arrays as JSON ones.
   */
  static ObjectNode info(AuthenticatorInfo info) {
    ObjectNode n = MAPPER.createObjectNode();
    for (Map.Entry<Object, Object> e : info.raw().asMap().entrySet()) {
      if (e.getKey() instanceof Long k && k == 0x03L) {
        n.put("aaguid", info.aaguidUuid().map(UUID::toString).orElse(info.aaguid().hex()));
      } else {
        n.set(memberName(e.getKey()), value(e.getValue()));
      }
    }
    return n;
  }

  private static String memberName(Object key) {
    if (key instanceof Long k) {
      return GetInfoResponse.MEMBER_NAMES.getOrDefault(k, "0x" + Long.toHexString(k));
    }
    return String.valueOf(key);
  }

  /** A decoded CBOR value as JSON. */
  static JsonNode value(Object v) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (v instanceof Long l) {
      return f.numberNode(l);
    }
    if (v instanceof Double d) {
      return f.numberNode(d);
    }
    if (v instanceof Boolean b) {
      return f.booleanNode(b);
    }
    if (v instanceof String s) {
      return f.textNode(s);
    }
    if (v instanceof Bytes b) {
      return f.textNode(b.hex());
    }
    if (v instanceof CborMap m) {
      ObjectNode o = f.objectNode();
      m.asMap().forEach((k, x) -> o.set(String.valueOf(k), value(x)));
      return o;
    }
    if (v instanceof List<?> l) {
      ArrayNode a = f.arrayNode();
      l.forEach(x -> a.add(value(x)));
      return a;
    }
    if (v == null || v instanceof CborNull) {
      return f.nullNode();
    }
    return f.textNode(String.valueOf(v));
  }
}
