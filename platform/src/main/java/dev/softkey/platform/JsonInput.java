package dev.softkey.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.WebAuthnException.Name;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reading the JSON forms of the WebAuthn options dictionaries, with the errors WebIDL conversion and
 * parseCreationOptionsFromJSON() raise: TypeError for a missing required member or a wrong type,
 * EncodingError for a base64url member that does not decode (WebAuthn L3 section 5.1.9/5.1.10).
 */
final class JsonInput {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonInput() {}

  /**
   * Parses the options text and unwraps the {@code {"publicKey": {...}}} form that
   * CredentialCreationOptions / CredentialRequestOptions take and that RP libraries emit (e.g.
   * java-webauthn-server's toCredentialsCreateJson / toCredentialsGetJson).
   */
  static JsonNode options(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new WebAuthnException(
          Name.TypeError, "options are not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new WebAuthnException(Name.TypeError, "options must be a JSON object");
    }
    JsonNode pk = root.get("publicKey");
    if (pk != null && !root.has("challenge")) {
      if (!pk.isObject()) {
        throw new WebAuthnException(Name.TypeError, "publicKey must be an object");
      }
      return pk;
    }
    return root;
  }

  static Optional<JsonNode> member(JsonNode obj, String name) {
    JsonNode v = obj.get(name);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
  }

  static JsonNode object(JsonNode obj, String name, String path) {
    return optObject(obj, name, path)
        .orElseThrow(() -> new WebAuthnException(Name.TypeError, "missing required member " + path));
  }

  static Optional<JsonNode> optObject(JsonNode obj, String name, String path) {
    Optional<JsonNode> v = member(obj, name);
    if (v.isPresent() && !v.get().isObject()) {
      throw new WebAuthnException(Name.TypeError, path + " must be an object");
    }
    return v;
  }

  static String text(JsonNode obj, String name, String path) {
    return optText(obj, name, path)
        .orElseThrow(() -> new WebAuthnException(Name.TypeError, "missing required member " + path));
  }

  static Optional<String> optText(JsonNode obj, String name, String path) {
    Optional<JsonNode> v = member(obj, name);
    if (v.isPresent() && !v.get().isTextual()) {
      throw new WebAuthnException(Name.TypeError, path + " must be a string");
    }
    return v.map(JsonNode::asText);
  }

  static boolean bool(JsonNode obj, String name, String path, boolean dflt) {
    Optional<JsonNode> v = member(obj, name);
    if (v.isPresent() && !v.get().isBoolean()) {
      throw new WebAuthnException(Name.TypeError, path + " must be a boolean");
    }
    return v.map(JsonNode::asBoolean).orElse(dflt);
  }

  static Bytes base64Url(JsonNode obj, String name, String path) {
    String s = text(obj, name, path);
    try {
      return Bytes.fromBase64Url(s);
    } catch (IllegalArgumentException e) {
      throw new WebAuthnException(Name.EncodingError, path + " is not valid base64url");
    }
  }

  static <T> List<T> list(JsonNode obj, String name, String path, Function<JsonNode, T> element) {
    Optional<JsonNode> v = member(obj, name);
    if (v.isEmpty()) {
      return List.of();
    }
    if (!v.get().isArray()) {
      throw new WebAuthnException(Name.TypeError, path + " must be an array");
    }
    List<T> out = new ArrayList<>();
    for (JsonNode e : v.get()) {
      out.add(element.apply(e));
    }
    return out;
  }

  static List<String> texts(JsonNode obj, String name, String path) {
    return list(
        obj,
        name,
        path,
        e -> {
          if (!e.isTextual()) {
            throw new WebAuthnException(Name.TypeError, path + " must hold strings");
          }
          return e.asText();
        });
  }
}
