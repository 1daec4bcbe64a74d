package dev.softkey.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A real HTTP client of the control API (java.net.http over loopback), for tests. */
final class ApiClient {
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** One answer: the HTTP status, the body, and the body as JSON when it is JSON. */
  record Response(int status, String body, JsonNode json) {
    JsonNode value() {
      return json.get("value");
    }

    String error() {
      return json.get("value").get("error").asText();
    }
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;
  private final String token;

  ApiClient(ControlServer server) {
    this(server.baseUri(), server.token());
  }

  ApiClient(URI base, String token) {
    this.base = base;
    this.token = token;
  }

  HttpClient http() {
    return http;
  }

  URI uri(String path) {
    return URI.create(base + path);
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token);
  }

  Response get(String path) {
    return send(request(path).GET().build());
  }

  Response delete(String path) {
    return send(request(path).DELETE().build());
  }

  Response post(String path, Object body) {
    try {
      String json = body instanceof String s ? s : MAPPER.writeValueAsString(body);
      return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  Response send(HttpRequest r) {
    try {
      HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
      JsonNode json = null;
      if (resp.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
        json = MAPPER.readTree(resp.body());
      }
      return new Response(resp.statusCode(), resp.body(), json);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Adds an authenticator with the given members; returns its id. */
  String addAuthenticator(Object body) {
    Response r = post("/webauthn/authenticator", body);
    if (r.status() != 200) {
      throw new AssertionError("add authenticator: " + r.status() + " " + r.body());
    }
    return r.value().asText();
  }
}
