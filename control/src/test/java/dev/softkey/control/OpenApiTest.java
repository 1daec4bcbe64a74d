package dev.softkey.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The OpenAPI document the API serves lists exactly the router's routes. */
class OpenApiTest {
  @Test
  void servedDocument_listsExactlyTheRoutes() throws Exception {
    try (ControlServer server = ControlServer.builder().build().start()) {
      ApiClient api = new ApiClient(server);
      ApiClient.Response r = api.get("/openapi.json");
      assertThat(r.status()).isEqualTo(200);
      JsonNode doc = ApiClient.MAPPER.readTree(r.body());
      assertThat(doc.get("openapi").asText()).startsWith("3.0");
      assertThat(doc.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");

      Set<String> documented = new HashSet<>();
      Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields();
      Set<String> operationIds = new HashSet<>();
      while (paths.hasNext()) {
        Map.Entry<String, JsonNode> p = paths.next();
        Iterator<String> methods = p.getValue().fieldNames();
        while (methods.hasNext()) {
          String m = methods.next();
          documented.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey());
          assertThat(operationIds.add(p.getValue().get(m).get("operationId").asText())).as("unique operationId").isTrue();
        }
      }
      Set<String> routed = new HashSet<>();
      for (Router.Route route : new Api(new InProcessHost()).router().routes()) {
        routed.add(route.method() + " " + route.template());
      }
      assertThat(documented).isEqualTo(routed);
      assertThat(routed).contains("POST /softkey/v1/webauthn/authenticator", "GET /softkey/v1/openapi.json",
          "GET /softkey/v1/webauthn/authenticator/{authenticatorId}/events");

      // Each documented path answers something other than "unknown command".
      for (String route : routed) {
        String[] mp = route.split(" ");
        String path = mp[1].substring(ControlServer.BASE_PATH.length()).replace("{authenticatorId}", "authenticator-0")
            .replace("{credentialId}", "AAAA");
        if (path.endsWith("/events")) {
          continue;
        }
        ApiClient.Response a = switch (mp[0]) {
          case "GET" -> api.get(path);
          case "DELETE" -> api.delete(path);
          default -> api.post(path, Map.of());
        };
        if (a.json() != null && a.json().at("/value/error").isTextual()) {
          assertThat(a.error()).as(route).isNotIn("unknown command", "unknown method");
        }
      }
      JsonNode add = doc.at("/paths/~1softkey~1v1~1webauthn~1authenticator/post/requestBody/content/application~1json/schema/properties");
      assertThat(add.has("hasResidentKey")).isTrue();
      assertThat(add.has("softkey:profile")).isTrue();
    }
  }
}
