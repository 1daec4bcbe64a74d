package dev.softkey.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** The API's JSON: one mapper, typed reads of request members that fail as "invalid argument". */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Json() {}

  static ObjectNode object() {
    return NODES.objectNode();
  }

  /** The request body as an object; an empty body is an empty object. */
  static ObjectNode parseBody(byte[] body) {
    if (body.length == 0) {
      return object();
    }
    JsonNode n;
    try {
      n = MAPPER.readTree(body);
    } catch (java.io.IOException e) {
      throw ApiException.invalidArgument("the body is not JSON");
    }
    if (n == null || n.isMissingNode()) {
      return object();
    }
    if (!n.isObject()) {
      throw ApiException.invalidArgument("the body must be a JSON object");
    }
    return (ObjectNode) n;
  }

  static Optional<Boolean> optBool(JsonNode body, String name) {
    JsonNode v = body.get(name);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isBoolean()) {
      throw ApiException.invalidArgument(name + " must be a boolean");
    }
    return Optional.of(v.booleanValue());
  }

  static boolean bool(JsonNode body, String name, boolean dflt) {
    return optBool(body, name).orElse(dflt);
  }

  static Optional<String> optText(JsonNode body, String name) {
    JsonNode v = body.get(name);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw ApiException.invalidArgument(name + " must be a string");
    }
    return Optional.of(v.textValue());
  }

  static String text(JsonNode body, String name) {
    return optText(body, name).orElseThrow(() -> ApiException.invalidArgument(name + " is required"));
  }

  static Optional<Long> optLong(JsonNode body, String name) {
    JsonNode v = body.get(name);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw ApiException.invalidArgument(name + " must be an integer");
    }
    return Optional.of(v.longValue());
  }

  /** A non-negative int member; {@code max} bounds it. */
  static Optional<Integer> optInt(JsonNode body, String name, long max) {
    Optional<Long> v = optLong(body, name);
    if (v.isPresent() && (v.get() < 0 || v.get() > max)) {
      throw ApiException.invalidArgument(name + " must be between 0 and " + max);
    }
    return v.map(Long::intValue);
  }
}
