package dev.softkey.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;

/**
 * The OpenAPI 3.0 document of the control API, made from the {@link Router}'s routes (so it lists
 * exactly what the server answers): every path and method with its summary, path parameters and
 * request members, the WebDriver response shape, and the bearer scheme every route requires.
 */
final class OpenApi {
  private OpenApi() {}

  static String document(Router router) {
    ObjectNode doc = Json.object();
    doc.put("openapi", "3.0.3");
    ObjectNode info = doc.putObject("info");
    info.put("title", "softkey control API");
    info.put("version", "1");
    info.put("description", "W3C WebDriver virtual-authenticator commands (WebAuthn L3 section 11) and softkey's extensions."
        + " Loopback only; every request needs Authorization: Bearer TOKEN. Responses are {\"value\": ...};"
        + " errors {\"value\": {\"error\", \"message\"}}.");
    ObjectNode components = doc.putObject("components");
    ObjectNode bearer = components.putObject("securitySchemes").putObject("bearer");
    bearer.put("type", "http");
    bearer.put("scheme", "bearer");
    ObjectNode schemas = components.putObject("schemas");
    ObjectNode value = schemas.putObject("Value");
    value.put("type", "object");
    value.putObject("properties").putObject("value");
    ObjectNode error = schemas.putObject("Error");
    error.put("type", "object");
    ObjectNode ev = error.putObject("properties").putObject("value");
    ev.put("type", "object");
    ObjectNode evp = ev.putObject("properties");
    evp.putObject("error").put("type", "string");
    evp.putObject("message").put("type", "string");
    doc.putArray("security").addObject().putArray("bearer");
    ObjectNode paths = doc.putObject("paths");
    for (Router.Route r : router.routes()) {
      ObjectNode path = paths.has(r.template()) ? (ObjectNode) paths.get(r.template()) : paths.putObject(r.template());
      ObjectNode op = path.putObject(r.method().toLowerCase(Locale.ROOT));
      op.put("summary", r.summary());
      op.put("operationId", operationId(r));
      if (!r.parameters().isEmpty()) {
        ArrayNode params = op.putArray("parameters");
        for (String p : r.parameters()) {
          ObjectNode po = params.addObject();
          po.put("name", p);
          po.put("in", "path");
          po.put("required", true);
          po.putObject("schema").put("type", "string");
        }
      }
      if (!r.requestBody().isEmpty()) {
        ObjectNode schema = op.putObject("requestBody").putObject("content").putObject("application/json").putObject("schema");
        schema.put("type", "object");
        ObjectNode props = schema.putObject("properties");
        for (Map.Entry<String, String> m : r.requestBody().entrySet()) {
          ObjectNode mo = props.putObject(m.getKey());
          mo.put("type", m.getValue());
          if (m.getValue().equals("array")) {
            mo.putObject("items");
          }
        }
      }
      ObjectNode responses = op.putObject("responses");
      responses.putObject("200").put("description", "success");
      ((ObjectNode) responses.get("200")).putObject("content").putObject(contentType(r)).putObject("schema")
          .put("$ref", "#/components/schemas/Value");
      for (String[] e : new String[][] {{"400", "invalid argument (an unknown authenticatorId or credentialId too), or a ceremony's DOMException"},
          {"401", "unauthorized: no or a wrong bearer token"}, {"403", "forbidden: not a loopback peer"},
          {"404", "unknown command"}, {"500", "unknown error, unable to create authenticator"}}) {
        ObjectNode eo = responses.putObject(e[0]);
        eo.put("description", e[1]);
        eo.putObject("content").putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/Error");
      }
    }
    try {
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String contentType(Router.Route r) {
    if (r.template().endsWith("/events")) {
      return "text/event-stream";
    }
    if (r.template().endsWith("/attestation/root")) {
      return "application/x-pem-file";
    }
    return "application/json";
  }

  private static String operationId(Router.Route r) {
    StringBuilder b = new StringBuilder(r.method().toLowerCase(Locale.ROOT));
    for (String s : r.template().substring(ControlServer.BASE_PATH.length()).split("[/:.\\-]")) {
      if (s.isEmpty() || s.equals("{authenticatorId}")) {
        continue;
      }
      if (s.startsWith("{")) {
        b.append("By").append(Character.toUpperCase(s.charAt(1))).append(s, 2, s.length() - 1);
        continue;
      }
      b.append(Character.toUpperCase(s.charAt(0))).append(s.substring(1));
    }
    return b.toString();
  }
}
