package dev.softkey.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BiPredicate;

/**
 * The HTTP side of {@code softkey ctl}: one request per call to the control API (the JDK's {@code
 * java.net.http}), the bearer token in the Authorization header, WebDriver-shaped answers unwrapped
 * to their {@code value}. An error answer is an {@link ApiError} with WebDriver's error code and
 * the server's message; the token is never part of a message.
 */
final class ControlClient {
  private final URI base;
  private final String token;
  private final HttpClient http;
  private final Duration timeout;

  /** An error the API answered ({@code {"value":{"error":..., "message":...}}}) or no answer at all. */
  static final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String error;

    ApiError(String error, String message) {
      super(message, null, false, false);
      this.error = error;
    }

    String error() {
      return error;
    }
  }

  /**
   * @param base the API's base URI, e.g. {@code http://127.0.0.1:8765/softkey/v1}
   * @param timeout how long one request may take (a ceremony waits for the user's touch)
   */
  ControlClient(URI base, String token, Duration timeout) {
    String b = base.toString();
    this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
    this.token = Objects.requireNonNull(token);
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
  }

  URI base() {
    return base;
  }

  /** The path of an authenticator's route: {@code /webauthn/authenticator/ID} + {@code rest}. */
  static String authenticator(String id, String rest) {
    return "/webauthn/authenticator/" + segment(id) + rest;
  }

  /** A path segment, percent-encoded. */
  static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  JsonNode get(String path) {
    return send("GET", path, null);
  }

  JsonNode delete(String path) {
    return send("DELETE", path, null);
  }

  JsonNode post(String path, JsonNode body) {
    return send("POST", path, body == null ? Json.MAPPER.createObjectNode() : body);
  }

  /** One request; the answer's {@code value} (JSON null for an empty answer). */
  JsonNode send(String method, String path, JsonNode body) {
    HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8);
    HttpRequest.Builder rb = request(path).method(method, publisher).timeout(timeout);
    if (body != null) {
      rb.header("Content-Type", "application/json");
    }
    HttpResponse<String> resp;
    try {
      resp = http.send(rb.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiError("interrupted", "the request was interrupted");
    }
    return value(resp.statusCode(), resp.body());
  }

  /**
   * Reads a Server-Sent Events stream: each event's name and data (the {@code data:} lines joined)
   * go to {@code sink} until it returns false or the stream ends.
   */
  void events(String path, BiPredicate<String, String> sink) {
    HttpRequest req = request(path).header("Accept", "text/event-stream").GET().build();
    HttpResponse<InputStream> resp;
    try {
      resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try (InputStream in = resp.body()) {
      if (resp.statusCode() != 200) {
        value(resp.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        return;
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String event = "message";
      StringBuilder data = new StringBuilder();
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isEmpty()) {
          if (data.length() > 0 && !sink.test(event, data.toString())) {
            return;
          }
          event = "message";
          data.setLength(0);
        } else if (line.startsWith("event:")) {
          event = line.substring(6).strip();
        } else if (line.startsWith("data:")) {
          if (data.length() > 0) {
            data.append('\n');
          }
          data.append(line.substring(5).strip());
        }
        // comments (": keepalive") and other fields are ignored, as EventSource does
      }
    } catch (IOException e) {
      throw new ApiError("stream ended", "the event stream broke off: " + IoErrors.reason(e));
    }
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token);
  }

  private ApiError unreachable(IOException e) {
    String why = e instanceof ConnectException ? "connection refused (is 'softkey serve --control' running?)" : IoErrors.reason(e);
    return new ApiError("cannot reach " + base, why);
  }

  /** The {@code value} of a WebDriver-shaped answer; an error answer throws {@link ApiError}. */
  static JsonNode value(int status, String body) {
    JsonNode n;
    try {
      n = body == null || body.isBlank() ? NullNode.getInstance() : Json.MAPPER.readTree(body);
    } catch (IOException e) {
      if (status >= 400) {
        throw new ApiError("HTTP " + status, "the answer is not JSON");
      }
      // a non-JSON answer (the attestation root's PEM) is its own value
      return Json.MAPPER.getNodeFactory().textNode(body);
    }
    JsonNode v = n.has("value") ? n.get("value") : n;
    if (status >= 400) {
      String error = v.path("error").asText("HTTP " + status);
      String message = v.path("message").asText("");
      throw new ApiError(error, message);
    }
    return v;
  }
}
