package dev.softkey.control;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.Map;

/** Options JSON for tests' ceremonies. */
final class Ceremony {
  static final String ORIGIN = "https://example.com";
  static final String RP_ID = "example.com";

  private Ceremony() {}

  static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static ObjectNode creationOptions(boolean residentKey, String userVerification) {
    ObjectNode o = ApiClient.MAPPER.createObjectNode();
    o.putObject("rp").put("id", RP_ID).put("name", "Example");
    o.putObject("user").put("id", b64(new byte[] {1, 2, 3, 4})).put("name", "alice").put("displayName", "Alice");
    o.put("challenge", b64(new byte[32]));
    o.putArray("pubKeyCredParams").addObject().put("type", "public-key").put("alg", -7);
    ObjectNode sel = o.putObject("authenticatorSelection");
    sel.put("residentKey", residentKey ? "required" : "discouraged");
    sel.put("userVerification", userVerification);
    o.put("timeout", 30000);
    return o;
  }

  static ObjectNode requestOptions(String userVerification) {
    ObjectNode o = ApiClient.MAPPER.createObjectNode();
    o.put("challenge", b64(new byte[32]));
    o.put("rpId", RP_ID);
    o.put("userVerification", userVerification);
    o.put("timeout", 30000);
    return o;
  }

  static Map<String, Object> body(ObjectNode options) {
    return Map.of("options", options, "origin", ORIGIN);
  }
}
