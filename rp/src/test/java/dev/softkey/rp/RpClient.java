package dev.softkey.rp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A test's client of an {@link RpServer}'s JSON endpoints, over real HTTP (the JDK's client). */
final class RpClient {
  static final ObjectMapper JSON = new ObjectMapper();

  /** One answer: the status and the body as JSON. */
  record Reply(int status, JsonNode body) {}

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;

  RpClient(RpServer rp) {
    this.base = URI.create("http://127.0.0.1:" + rp.port());
  }

  Reply send(String method, String path, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode n = r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
      return new Reply(r.statusCode(), n);
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  Reply post(String path, JsonNode body) {
    return send("POST", path, body.toString());
  }

  Reply get(String path) {
    return send("GET", path, null);
  }

  /** {@code POST /api/register/options}, expecting 200. */
  JsonNode registerOptions(String username, boolean discoverable, String uv, String attestation) {
    ObjectNode b = JSON.createObjectNode().put("username", username).put("discoverable", discoverable).put("userVerification", uv)
        .put("attestation", attestation);
    Reply r = post("/api/register/options", b);
    if (r.status() != 200) {
      throw new AssertionError("register options: " + r);
    }
    return r.body();
  }

  /** {@code POST /api/signin/options}, expecting 200; username null for a discoverable sign-in. */
  JsonNode signInOptions(String username, String uv) {
    ObjectNode b = JSON.createObjectNode().put("userVerification", uv);
    if (username != null) {
      b.put("username", username);
    }
    Reply r = post("/api/signin/options", b);
    if (r.status() != 200) {
      throw new AssertionError("sign-in options: " + r);
    }
    return r.body();
  }

  Reply verify(String path, JsonNode options, String credentialJson) {
    try {
      ObjectNode b = JSON.createObjectNode().put("ceremonyId", options.path("ceremonyId").asText());
      b.set("credential", JSON.readTree(credentialJson));
      return post(path, b);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
